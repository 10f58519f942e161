// The merchant register: every registered merchant (merchantCount / merchantAt / merchantOf) with
// deactivate / reactivate, and a form that registers a new shop or updates an existing one.

import { categoryFromIndex, categoryName, MERCHANT_CATEGORIES } from "@core/enums";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type Address, getAddress, isAddress } from "viem";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { TableScroll } from "../../components/TableScroll";
import { merchantRegistry } from "../../contracts";
import { deskMessages } from "../../i18n/messages/desk";
import { useLang, useT } from "../../i18n/useT";
import { contractWrite } from "../../tx/contractWrite";
import { ActionCard } from "./ActionCard";
import type { DeskRole } from "./useDeskRoles";

type Row = { address: Address; name: string; category: number; active: boolean };

export function MerchantsPanel({ roles }: { roles: Set<DeskRole> }) {
  const t = useT(deskMessages);
  const lang = useLang();
  const config = useConfig();
  const [address, setAddress] = useState("");
  const [name, setName] = useState("");
  const [category, setCategory] = useState(0);
  const [touched, setTouched] = useState(false);
  const registry = merchantRegistry;
  const list = useQuery({
    queryKey: ["deskMerchants"],
    queryFn: async (): Promise<Row[]> => {
      const at = { ...registry, chainId: cityChain.id } as const;
      const count = await readContract(config, { ...at, functionName: "merchantCount" });
      const addresses = await Promise.all(
        Array.from({ length: Number(count) }, (_, i) =>
          readContract(config, { ...at, functionName: "merchantAt", args: [BigInt(i)] }),
        ),
      );
      const records = await Promise.all(
        addresses.map((a) => readContract(config, { ...at, functionName: "merchantOf", args: [a] })),
      );
      return addresses.map((a, i) => ({
        address: a,
        name: records[i].name,
        category: Number(records[i].category),
        active: records[i].active,
      }));
    },
  });
  const existing = isAddress(address.trim())
    ? list.data?.find((m) => m.address === getAddress(address.trim()))
    : undefined;
  const nameBytes = new TextEncoder().encode(name.trim()).length;
  const errors = {
    address: !isAddress(address.trim()) ? t("invalidAddress") : undefined,
    name: nameBytes === 0 ? t("required") : undefined,
  };

  return (
    <ActionCard
      id="desk-merchants"
      title={t("merchantsTitle")}
      requiredRole="registrar"
      roles={roles}
      onConfirmed={() => void list.refetch()}
    >
      {(request) => (
        <>
          {list.data && list.data.length > 0 && (
            <TableScroll labelledBy="desk-merchants-title">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("merchantName")}</th>
                    <th scope="col">{t("merchantAddress")}</th>
                    <th scope="col">{t("merchantCategory")}</th>
                    <th scope="col">{t("status")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("summaryAction")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((m) => (
                    <tr key={m.address}>
                      <td>{m.name}</td>
                      <td>
                        <AddressText address={m.address} showName={false} />
                      </td>
                      <td>{categoryName(categoryFromIndex(m.category), lang)}</td>
                      <td>{m.active ? t("active") : t("inactive")}</td>
                      <td>
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() =>
                            request({
                              label: m.active ? t("deactivate") : t("reactivate"),
                              write: contractWrite({
                                ...registry,
                                functionName: m.active ? "deactivate" : "reactivate",
                                args: [m.address],
                              }),
                              summary: [
                                { label: t("summaryAction"), value: m.active ? t("deactivate") : t("reactivate") },
                                { label: t("merchantName"), value: m.name },
                              ],
                            })
                          }
                        >
                          {m.active ? t("deactivate") : t("reactivate")}
                          <span className="visually-hidden"> {m.name}</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setTouched(true);
              if (errors.address || errors.name) return;
              const target = getAddress(address.trim());
              const action = existing ? "update" : "register";
              request({
                label: t(action),
                write: contractWrite({ ...registry, functionName: action, args: [target, name.trim(), category] }),
                summary: [
                  { label: t("summaryAction"), value: t(action) },
                  { label: t("merchantAddress"), value: <AddressText address={target} showName={false} /> },
                  { label: t("merchantName"), value: name.trim() },
                  { label: t("merchantCategory"), value: categoryName(MERCHANT_CATEGORIES[category], lang) },
                ],
              });
            }}
          >
            <label htmlFor="m-address">{t("merchantAddress")}</label>
            <input
              id="m-address"
              value={address}
              spellCheck={false}
              onChange={(e) => setAddress(e.target.value)}
              aria-invalid={touched && Boolean(errors.address)}
            />
            {touched && errors.address && <p className="error">{errors.address}</p>}
            <label htmlFor="m-name">{t("merchantName")}</label>
            <input
              id="m-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={touched && Boolean(errors.name)}
            />
            {touched && errors.name && <p className="error">{errors.name}</p>}
            <label htmlFor="m-category">{t("merchantCategory")}</label>
            <select id="m-category" value={category} onChange={(e) => setCategory(Number(e.target.value))}>
              {MERCHANT_CATEGORIES.map((c, i) => (
                <option key={c} value={i}>
                  {categoryName(c, lang)}
                </option>
              ))}
            </select>
            <button type="submit" className="primary">
              {existing ? t("update") : t("register")}
            </button>
          </form>
        </>
      )}
    </ActionCard>
  );
}
