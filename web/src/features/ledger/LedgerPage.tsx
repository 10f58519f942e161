// The auditor's public ledger (#/ledger), readable without a wallet: supply, issued and redeemed
// over 7 / 30 / 365 days, reserve attestations against supply (coverage), every movement with
// filters and CSV, and the audit check. The totals at the top are read from the token itself;
// attestations, movements and flows come from the city's indexer when it can be used (with the
// blocks after its own read from the chain), from the chain's events otherwise (useLedger.ts).
import { coverageRatio } from "@core/audit/describe";
import { TableScroll } from "../../components/TableScroll";
import "../merchant/merchant.css";
import { useReadContracts } from "wagmi";
import { cityChain } from "../../chain";
import { AddressText } from "../../components/AddressText";
import { AddressDisplayContext } from "../../components/addressDisplay";
import { Money } from "../../components/Money";
import { TableHead } from "../../components/TableHead";
import { cityYuan } from "../../contracts";
import { ledgerMessages } from "../../i18n/messages/ledger";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { AuditPanel } from "./AuditPanel";
import { MovementsSection } from "./MovementsSection";
import { type Attestation, type LedgerData, useIndexedAttestations, useIndexerReturn, useLedger } from "./useLedger";

const PERIODS = [7, 30, 365] as const;

export default function LedgerPage() {
  const t = useT(ledgerMessages);
  const ledger = useLedger(PERIODS);
  const token = { address: cityYuan.address, abi: cityYuan.abi, chainId: cityChain.id } as const;
  const figures = useReadContracts({
    contracts: [
      { ...token, functionName: "totalSupply" },
      { ...token, functionName: "totalIssued" },
      { ...token, functionName: "totalRedeemed" },
      // The latest attestation less what was redeemed since: what still backs the supply.
      { ...token, functionName: "latestReserves" },
    ],
    allowFailure: false,
  });
  const [supply, issued, redeemed, reservesNow] = figures.data ?? [];
  const data = ledger.data;
  const source = data?.source;
  const indexedBlock = source?.state === "used" ? source.indexedBlock : undefined;
  const indexedAttestations = useIndexedAttestations(indexedBlock);
  useIndexerReturn(source, () => ledger.refetch());
  // Newest first: the chain's blocks after the index's, then the index's pages.
  const attestations: Attestation[] = data
    ? [...[...data.attestations].reverse(), ...(indexedAttestations.data?.pages.flatMap((p) => p.attestations) ?? [])]
    : [];
  const latest = attestations[0];
  const fmt = useFormat();

  /** Where the attestations and movements shown come from, in words. */
  const sourceLine = (data: LedgerData): string => {
    const s = data.source;
    switch (s.state) {
      case "used":
        return t("sourceIndexer", { block: s.indexedBlock.toString() });
      case "behind":
        return t("sourceBehind", { blocks: String(s.behind ?? "?") });
      case "down":
        return s.reason === "otherChain" || s.reason === "invalid" ? t("sourceWrong") : t("sourceDown");
      case "none":
        return t("sourceChain");
    }
  };

  return (
    <AddressDisplayContext.Provider value="addresses">
      <div className="ledger-page">
        <header className="card">
          <h1>{t("title")}</h1>
          <p>{t("intro")}</p>
          {data && <p>{t("asOfBlock", { block: data.head.toString() })}</p>}
          {data && (
            <p className="hint" data-testid="ledger-source" data-source={data.source.state}>
              {sourceLine(data)}
            </p>
          )}
        </header>

        <section className="card" aria-labelledby="supply-title">
          <h2 id="supply-title">{t("supplyTitle")}</h2>
          <dl className="totals">
            <div>
              <dt>{t("totalSupply")}</dt>
              <dd className="total-supply">{supply !== undefined ? <Money fen={supply} /> : "…"}</dd>
            </div>
            <div>
              <dt>{t("totalIssued")}</dt>
              <dd>{issued !== undefined ? <Money fen={issued} /> : "…"}</dd>
            </div>
            <div>
              <dt>{t("totalRedeemed")}</dt>
              <dd>{redeemed !== undefined ? <Money fen={redeemed} /> : "…"}</dd>
            </div>
          </dl>
          {latest && supply !== undefined && reservesNow !== undefined && (
            <p>{t("coverageNow", { ratio: coverageRatio(reservesNow, supply) })}</p>
          )}
          {latest && supply !== undefined && reservesNow !== undefined && reservesNow < supply && (
            <p role="alert" className="notice coverage-short">
              {t("coverageShort", { ratio: coverageRatio(reservesNow, supply) })}
            </p>
          )}
        </section>

        {ledger.isLoading && <p className="progress">{t("loadingLedger")}</p>}
        {ledger.isError && <p role="alert">{t("loadFailed", { message: String(ledger.error?.message ?? "") })}</p>}

        {data && (
          <>
            <section className="card" aria-labelledby="flows-title">
              <h2 id="flows-title">{t("flowsTitle")}</h2>
              <p className="hint" data-testid="ledger-flows-source" data-source={data.source.state}>
                {data.source.state === "used"
                  ? t("flowsFromIndexer", { block: data.source.indexedBlock.toString() })
                  : data.source.state === "down"
                    ? t("flowsIndexerDown")
                    : data.source.state === "behind"
                      ? t("flowsIndexerBehind", { blocks: String(data.source.behind ?? "?") })
                      : t("flowsFromChain")}
              </p>
              <TableScroll labelledBy="flows-title">
                <table className="flows">
                  <TableHead columns={[t("period"), t("issued"), t("redeemed"), t("net")]} />
                  <tbody>
                    {PERIODS.map((days) => {
                      const flow = data.flows.get(days) ?? { issued: 0n, redeemed: 0n };
                      return (
                        <tr key={days} data-days={days}>
                          <th scope="row">{t("lastDays", { days })}</th>
                          <td>
                            <Money fen={flow.issued} />
                          </td>
                          <td>
                            <Money fen={flow.redeemed} />
                          </td>
                          <td>
                            <Money fen={flow.issued - flow.redeemed} signed />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableScroll>
            </section>

            <section className="card" aria-labelledby="reserves-title">
              <h2 id="reserves-title">{t("reservesTitle")}</h2>
              {indexedAttestations.isLoading && <p className="progress">{t("loadingPage")}</p>}
              {indexedAttestations.isError && (
                <p role="alert" className="error">
                  {t("pageFailed", { message: String(indexedAttestations.error?.message ?? "") })}{" "}
                  <button type="button" className="secondary" onClick={() => ledger.refetch()}>
                    {t("readAgain")}
                  </button>
                </p>
              )}
              {attestations.length === 0 ? (
                !indexedAttestations.isLoading && <p>{t("reservesNone")}</p>
              ) : (
                <TableScroll labelledBy="reserves-title">
                  <table className="reserves">
                    <TableHead
                      columns={[
                        t("attestedAt"),
                        t("reserves"),
                        t("supplyAtTime"),
                        t("coverage"),
                        t("attester"),
                        t("report"),
                      ]}
                    />
                    <tbody>
                      {attestations.map((a) => {
                        const then = a.supply;
                        return (
                          <tr
                            key={`${a.blockNumber}-${a.logIndex}`}
                            data-attestation={a.attestationId.toString()}
                            data-supply={a.supply.toString()}
                          >
                            <td>{a.timestamp ? fmt.chainTime(a.timestamp) : "—"}</td>
                            <td>
                              <Money fen={a.reserves} />
                            </td>
                            <td>
                              <Money fen={then} />
                            </td>
                            <td className={a.reserves < then ? "error coverage-short" : undefined}>
                              {coverageRatio(a.reserves, then)}
                              {a.reserves < then && ` ${t("short")}`}
                            </td>
                            <td>
                              <AddressText address={a.attester} />
                            </td>
                            <td>
                              {/^https?:\/\//.test(a.uri) ? (
                                <a href={a.uri} rel="noopener noreferrer" target="_blank">
                                  {t("report")}
                                </a>
                              ) : (
                                a.uri
                              )}{" "}
                              <code title={a.reportHash}>{`${a.reportHash.slice(0, 10)}…`}</code>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </TableScroll>
              )}
              {indexedAttestations.hasNextPage && (
                <button
                  type="button"
                  className="secondary"
                  data-testid="attestations-more"
                  disabled={indexedAttestations.isFetchingNextPage}
                  onClick={() => indexedAttestations.fetchNextPage()}
                >
                  {indexedAttestations.isFetchingNextPage ? t("loadingPage") : t("showMore")}
                </button>
              )}
            </section>

            <MovementsSection data={data} onRetry={() => ledger.refetch()} />
          </>
        )}

        <AuditPanel />
      </div>
    </AddressDisplayContext.Provider>
  );
}
