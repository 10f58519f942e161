// Whether the connected wallet is signed in to the city service. One query (["citySession"]) for
// the whole app, so signing in or out anywhere updates every page.
import { useQuery } from "@tanstack/react-query";
import { useConnection } from "wagmi";
import { currentSession } from "./cityService";

export const CITY_SESSION_KEY = ["citySession"] as const;

export function useCitySession() {
  const { address } = useConnection();
  const session = useQuery({ queryKey: CITY_SESSION_KEY, queryFn: currentSession, retry: false, staleTime: 30_000 });
  const signedIn = Boolean(session.data && address && session.data.address.toLowerCase() === address.toLowerCase());
  return { session, address, signedIn };
}
