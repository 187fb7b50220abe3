import { TextLink } from "@/components/ui";

/** A page that does not exist, inside the signed-in layout (which already provides the page's <main>). */
export default function SignedInNotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">The link may be mistyped, or the page was removed.</p>
      <p className="mt-4">
        <TextLink href="/">Go to the home page</TextLink>
      </p>
    </div>
  );
}
