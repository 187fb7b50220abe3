"use client";
import type { ActionState } from "@/lib/action";
import type { FactorType } from "@/lib/db/schema";
import { METHOD_LABEL, METHOD_ORDER } from "@/lib/mfa/policy";
import { Checkbox } from "../_components/controls";

/**
 * Per role: admins may be held to stronger methods than agents ("admins: authenticator app or security
 * key only"). `value` null: the same methods as everyone. Sent as one hidden field, `adminMethods`.
 */
export function AdminMethods({
  value,
  onChange,
  allowed,
  state,
}: {
  value: FactorType[] | null;
  onChange: (next: FactorType[] | null) => void;
  /** The methods the organisation allows (the boxes above). */
  allowed: Record<FactorType, boolean>;
  state: ActionState;
}) {
  const restricted = value !== null;
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800" data-testid="admin-methods">
      <input type="hidden" name="adminMethods" value={restricted ? value.join(",") || "none" : ""} />
      <Checkbox
        name="restrictAdmins"
        label="Admins may use only some of these methods"
        hint="Admins can change who is in your organisation and how it signs in: hold them to stronger methods, for example no email codes."
        checked={restricted}
        onChange={(e) => onChange(e.target.checked ? METHOD_ORDER.filter((m) => m !== "email") : null)}
        state={state}
      />
      {restricted && (
        <fieldset className="ml-7 space-y-2">
          <legend className="mb-1 text-sm text-slate-600 dark:text-slate-400">Admins may use:</legend>
          {METHOD_ORDER.map((m) => (
            <Checkbox
              key={m}
              name={`admin-${m}`}
              label={`${METHOD_LABEL[m]} for admins`}
              hint={allowed[m] ? undefined : "Not allowed for anyone at the moment."}
              checked={value.includes(m)}
              onChange={(e) => onChange(METHOD_ORDER.filter((x) => (x === m ? e.target.checked : value.includes(x))))}
            />
          ))}
        </fieldset>
      )}
    </div>
  );
}
