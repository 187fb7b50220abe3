export function ServiceUnavailable() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <h1 className="text-2xl font-semibold">Service unavailable</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">
          We cannot reach our database right now. Nothing you saved has been lost. Please try again in a moment.
        </p>
        <a href="" className="mt-6 inline-block rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">
          Try again
        </a>
      </div>
    </main>
  );
}
