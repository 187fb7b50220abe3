/** The one reply for a login step that passed but whose session could not be made (challenge expired or used). */
export const FINISH_ERROR = "Your sign-in could not be completed. Please sign in again.";

export const FINISH_ERROR_STATE = { ok: false, code: "challenge_expired" as const, error: FINISH_ERROR };
