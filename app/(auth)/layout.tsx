import Image from "next/image";
import Link from "next/link";
import { PRODUCT_NAME } from "@/lib/config";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <Link href="/" className="mb-8 flex items-center gap-2 text-lg font-semibold">
        <Image src="/logo.svg" alt="" width={32} height={32} priority />
        {PRODUCT_NAME}
      </Link>
      <div className="w-full max-w-md">{children}</div>
    </main>
  );
}
