// Reconciliation problems for the issuer (GET /desk/problems): every Issued or Redeemed that did
// not fit a request, and events removed by a reorg after the service acted on them. Nothing is
// ever deleted; the desk records what it did, and the problem is kept, marked resolved.
import type { BankProblem } from "@core/api";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Address } from "viem";
import { useSignMessage } from "wagmi";
import { cityChain } from "../../chain";
import { BankProblemLine } from "../../components/BankProblemLine";
import { bankProblemMessages } from "../../i18n/messages/bankProblems";
import { deskMessages } from "../../i18n/messages/desk";
import { useT } from "../../i18n/useT";
import { CityServiceError, deskProblems, resolveProblem, signIn } from "../../service/cityService";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { QueuePages } from "./QueuePages";

const PAGE_SIZE = 20;

export function ProblemsPanel({ me }: { me: Address }) {
  const t = useT(deskMessages);
  const tp = useT(bankProblemMessages);
  const describe = useServiceErrorText();
  const { signMessageAsync } = useSignMessage();
  const queryClient = useQueryClient();
  // One sign-in serves the whole desk: the queue and the problems both read again.
  const refreshDesk = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["deskTopUps"] }),
      queryClient.invalidateQueries({ queryKey: ["deskProblems"] }),
    ]);
  const [showResolved, setShowResolved] = useState(false);
  const [offset, setOffset] = useState(0);
  const problems = useQuery({
    queryKey: ["deskProblems", me, showResolved, offset],
    queryFn: () => deskProblems(!showResolved, offset, PAGE_SIZE),
    retry: false,
    refetchInterval: 10_000,
    placeholderData: keepPreviousData,
  });
  const signedOut = problems.error instanceof CityServiceError && problems.error.status === 401;
  const total = problems.data?.total ?? 0;
  return (
    <section className="card desk-action" id="desk-problems" aria-labelledby="desk-problems-title">
      <h2 id="desk-problems-title">{tp("problemsTitle")}</h2>
      {signedOut ? (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void signIn(me, cityChain.id, (message) => signMessageAsync({ message })).then(() => refreshDesk())
          }
        >
          {t("problemsSignIn")}
        </button>
      ) : (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={showResolved}
              onChange={(e) => {
                setShowResolved(e.target.checked);
                setOffset(0);
              }}
            />{" "}
            {t("showResolved")}
          </label>
          {problems.isError ? (
            <p className="error">{tp("problemsLoadFailed", { reason: describe(problems.error) })}</p>
          ) : problems.data && problems.data.problems.length === 0 ? (
            <p>{tp("problemsNone")}</p>
          ) : (
            <ul className="request-list" data-testid="desk-problems">
              {problems.data?.problems.map((p) => (
                <li key={p.id} data-kind={p.kind}>
                  <BankProblemLine problem={p} showAccount />
                  {p.resolvedAt === null && <ResolveForm problem={p} />}
                </li>
              ))}
            </ul>
          )}
          {total > PAGE_SIZE && <QueuePages offset={offset} pageSize={PAGE_SIZE} total={total} onOffset={setOffset} />}
        </>
      )}
    </section>
  );
}

function ResolveForm({ problem }: { problem: BankProblem }) {
  const tp = useT(bankProblemMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const save = useMutation({
    mutationFn: () => resolveProblem(problem.id, note.trim()),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["deskProblems"] }),
  });
  if (!open) {
    return (
      <>
        {" "}
        <button type="button" className="secondary small" onClick={() => setOpen(true)}>
          {tp("resolve")}
        </button>
      </>
    );
  }
  const id = `resolve-${problem.id}`;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (note.trim() !== "") save.mutate();
      }}
    >
      <label htmlFor={id}>{tp("resolution")}</label>
      <textarea
        id={id}
        value={note}
        maxLength={500}
        placeholder={tp("resolutionHint")}
        onChange={(e) => setNote(e.target.value)}
      />
      {save.isError && <p className="error">{describe(save.error)}</p>}
      <button type="submit" className="primary small" disabled={save.isPending || note.trim() === ""}>
        {tp("save")}
      </button>
    </form>
  );
}
