/** The job runner's wiring for this product: the email handlers and the clock-driven planner. */
import type { JobWiring } from "@/lib/jobs/runner";
import { handlers } from "./deliver";
import { planScheduledJobs } from "./planner";

export const jobWiring: JobWiring = { handlers, plan: planScheduledJobs };
