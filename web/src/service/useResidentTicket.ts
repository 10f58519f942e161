// Asks the city service for a resident ticket (one share or voucher per verified resident) once
// signed in, and says in one word why there is none: not signed in, not verified, or the service's
// own reason in the resident's language (too many tickets asked for, service unreachable…). Used by the red-packet claim page and the voucher claim.
import { useEffect, useState } from "react";
import { CityServiceError, type ResidentTicket } from "./cityService";
import { useCitySession } from "./useCitySession";
import { useServiceErrorText } from "./useServiceErrorText";

export type TicketState = { data?: ResidentTicket; problem?: "notSignedIn" | "notVerified" | (string & {}) };

export function useResidentTicket(
  id: bigint | undefined,
  fetchTicket: (id: bigint) => Promise<ResidentTicket>,
): TicketState {
  const { signedIn } = useCitySession();
  const describe = useServiceErrorText();
  const [state, setState] = useState<TicketState>({});
  useEffect(() => {
    if (id === undefined) return;
    if (!signedIn) {
      setState({ problem: "notSignedIn" });
      return;
    }
    let cancelled = false;
    fetchTicket(id).then(
      (data) => !cancelled && setState({ data }),
      (error: unknown) => {
        if (cancelled) return;
        const code = error instanceof CityServiceError ? error.code : undefined;
        setState({
          problem:
            code === "not_verified"
              ? "notVerified"
              : code === "not_signed_in" || code === "signer_removed"
                ? "notSignedIn"
                : describe(error),
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, signedIn, fetchTicket, describe]);
  return state;
}
