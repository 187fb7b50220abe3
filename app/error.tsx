"use client";

/** Anything unexpected: a plain message, never a stack trace. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <h1 className="text-2xl font-semibold">Service unavailable</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">
          Something went wrong on our side, or the service is briefly unavailable. Please try again in a moment.
        </p>
        <button
          type="button"
          onClick={() => reset()}
          className="mt-6 rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800"
        >
          Try again
        </button>
      </div>
    </main>
  );
}
