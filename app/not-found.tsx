import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="text-center">
        <h1 className="text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">The link may be mistyped, or the page was removed.</p>
        <Link href="/" className="mt-4 inline-block text-blue-700 hover:underline dark:text-blue-400">
          Go to the home page
        </Link>
      </div>
    </main>
  );
}
