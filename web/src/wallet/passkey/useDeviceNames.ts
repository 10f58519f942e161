// The names of the account's devices as this device knows them: its own (kept with its passkey),
// the ones kept in this browser (devices it approved, earlier answers of the city service), and,
// once signed in to the city service, the account's names kept there. Names this device knows and
// the service does not are sent to it, so her other devices can show them too.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import type { Address } from "viem";
import { currentSession, deleteDeviceName, getDeviceNames, putDeviceName } from "../../service/cityService";
import { useCitySession } from "../../service/useCitySession";
import {
  type DeviceInfo,
  deviceKey,
  forgetDevice,
  knownDevices,
  rememberDevice,
  subscribeKnownDevices,
} from "./deviceNames";
import { loadPasskey } from "./passkeyStore";

const deviceNamesKey = (account: Address) => ["deviceNames", account.toLowerCase()] as const;

/** Sends a name to the city service when signed in as `account`; quietly keeps it local otherwise. */
export async function shareDeviceName(account: Address, key: string, info: DeviceInfo): Promise<void> {
  const session = await currentSession().catch(() => null);
  if (session?.address.toLowerCase() !== account.toLowerCase()) return;
  await putDeviceName(key, info).catch(() => undefined);
}

/** A removed device's name is forgotten here and, when signed in as `account`, by the service. */
export async function dropDeviceName(account: Address, key: string): Promise<void> {
  forgetDevice(account, key);
  const session = await currentSession().catch(() => null);
  if (session?.address.toLowerCase() !== account.toLowerCase()) return;
  await deleteDeviceName(key).catch(() => undefined);
}

export function useDeviceNames(account: Address): (key: string) => DeviceInfo | null {
  const { signedIn } = useCitySession();
  const queryClient = useQueryClient();
  const snapshot = useSyncExternalStore(subscribeKnownDevices, () => JSON.stringify(knownDevices(account)));
  const local = JSON.parse(snapshot) as Record<string, DeviceInfo>;
  const own = loadPasskey();
  const ownKey = own && own.address.toLowerCase() === account.toLowerCase() ? deviceKey(own.x, own.y) : null;
  const remote = useQuery({
    queryKey: deviceNamesKey(account),
    queryFn: getDeviceNames,
    enabled: signedIn,
    staleTime: 30_000,
  });

  // Names the service gave are kept here too (shown when signed out); names only this device knows
  // (its own, devices it approved while signed out) are sent to the service.
  useEffect(() => {
    if (!signedIn || !remote.data) return;
    const onService = new Map(remote.data.map((d) => [d.passkey, d]));
    const here = knownDevices(account);
    for (const d of remote.data) {
      const mine = here[d.passkey];
      if (!mine || mine.name !== d.name || mine.platform !== d.platform || mine.addedAt !== d.addedAt)
        rememberDevice(account, d.passkey, { name: d.name, platform: d.platform, addedAt: d.addedAt });
    }
    const missing: [string, DeviceInfo][] = Object.entries(here).filter(([key]) => !onService.has(key));
    if (ownKey && own?.name && !onService.has(ownKey) && !here[ownKey])
      missing.push([ownKey, { name: own.name, platform: own.platform ?? null, addedAt: own.addedAt ?? null }]);
    if (missing.length === 0) return;
    void Promise.all(missing.map(([key, info]) => putDeviceName(key, info).catch(() => undefined))).then(() =>
      queryClient.invalidateQueries({ queryKey: deviceNamesKey(account) }),
    );
  }, [signedIn, remote.data, account, ownKey, own?.name, own?.platform, own?.addedAt, queryClient]);

  return (key: string) => {
    const fromService = remote.data?.find((d) => d.passkey === key);
    if (fromService) return { name: fromService.name, platform: fromService.platform, addedAt: fromService.addedAt };
    if (local[key]) return local[key];
    if (key === ownKey && own?.name)
      return { name: own.name, platform: own.platform ?? null, addedAt: own.addedAt ?? null };
    return null;
  };
}

/** After a rename or an approval: the service's list is read again. */
export function useRefreshDeviceNames(account: Address): () => void {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: deviceNamesKey(account) });
}
