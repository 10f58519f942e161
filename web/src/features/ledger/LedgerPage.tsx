// The auditor's public ledger (#/ledger), readable without a wallet: supply, issued and redeemed
// over 7 / 30 / 365 days, reserve attestations against supply (coverage), every movement with
// filters and CSV, and the audit check.
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
import { flowsOver, supplyAt } from "./ledgerModel";
import { MovementsSection } from "./MovementsSection";
import { useIndexedFlows, useLedger } from "./useLedger";

const PERIODS = [7, 30, 365] as const;

export default function LedgerPage() {
  const t = useT(ledgerMessages);
  const ledger = useLedger();
  const indexed = useIndexedFlows(PERIODS).data;
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
  const timeOf = (block: bigint) => data?.times.get(block) ?? 0;
  const now = Math.floor(Date.now() / 1000);
  const fmt = useFormat();
  const latest = data?.attestations[data.attestations.length - 1];

  return (
    <AddressDisplayContext.Provider value="addresses">
      <div className="ledger-page">
        <header className="card">
          <h1>{t("title")}</h1>
          <p>{t("intro")}</p>
          {data && <p>{t("asOfBlock", { block: data.head.toString() })}</p>}
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
              <p className="hint" data-testid="ledger-flows-source" data-source={indexed?.state ?? "checking"}>
                {indexed?.state === "used"
                  ? t("flowsFromIndexer", { block: indexed.indexedBlock.toString() })
                  : indexed?.state === "down"
                    ? t("flowsIndexerDown")
                    : indexed?.state === "behind"
                      ? t("flowsIndexerBehind", { blocks: String(indexed.behind ?? "?") })
                      : t("flowsFromChain")}
              </p>
              <TableScroll labelledBy="flows-title">
                <table className="flows">
                  <TableHead columns={[t("period"), t("issued"), t("redeemed"), t("net")]} />
                  <tbody>
                    {PERIODS.map((days) => {
                      // The indexer's Asia/Shanghai days when it answers; otherwise the chain's events.
                      const flow =
                        (indexed?.state === "used" ? indexed.periods.get(days) : undefined) ??
                        flowsOver(data.events, days, now, timeOf);
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
              {data.attestations.length === 0 ? (
                <p>{t("reservesNone")}</p>
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
                      {[...data.attestations].reverse().map((a) => {
                        const then = supplyAt(data.events, a.blockNumber);
                        const when = timeOf(a.blockNumber);
                        return (
                          <tr key={a.attestationId.toString()}>
                            <td>{when ? fmt.chainTime(when) : "—"}</td>
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
            </section>

            <MovementsSection events={data.events} times={data.times} />
          </>
        )}

        <AuditPanel />
      </div>
    </AddressDisplayContext.Provider>
  );
}
