// Errors the HTTP layer turns into `{ error: code, message }` JSON with the right status. The codes
// are the ones the dApp knows (core/api.ts ServiceErrorCode).
import type { ServiceErrorCode } from "../../core/api.js";

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badField = (field: string, message: string): ApiError =>
  new ApiError(400, "invalid_field", `${field}: ${message}`);
export const missingField = (field: string): ApiError => new ApiError(400, "missing_field", `${field} is required`);
export const tooLong = (field: string, max: number): ApiError =>
  new ApiError(400, "field_too_long", `${field} must be at most ${max} characters`);
