// The shop's open API (#/merchant/api): after signing in to the city service, the owner creates
// API keys (the key shown once, never again), sees them by name, scopes, dates and first letters,
// and revokes them; registers the URL that receives the signed notifications (the webhook secret
// shown once), changes the secret, reads every delivery attempt and sends a finished one again.
// The routes are the service's /merchant/* (server/src/api/routes.ts, ownerRoutes.ts).
import "./openapi.css";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { openApiMessages } from "../../i18n/messages/openApi";
import { useFormat } from "../../i18n/useFormat";
import { type Translate, useT } from "../../i18n/useT";
import { useMerchant } from "../../names/useMerchant";
import {
  type ApiKeyInfo,
  type ApiScope,
  createApiKey,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  myApiKeys,
  myWebhookEndpoints,
  replayWebhook,
  revokeApiKey,
  rotateWebhookSecret,
  type WebhookAttempt,
  type WebhookEndpointInfo,
  webhookAttempts,
} from "../../service/cityService";
import { useCitySession } from "../../service/useCitySession";
import { OutcomeLine, useServiceAction } from "../../service/useServiceAction";
import { useServiceErrorText } from "../../service/useServiceErrorText";
import { CitySignIn } from "../settings/CitySignIn";

type OpenApiKey = Parameters<Translate<keyof (typeof openApiMessages)["zh"]>>[0];

const SCOPES: { scope: ApiScope; label: OpenApiKey }[] = [
  { scope: "receipts:read", label: "scope_receipts" },
  { scope: "requests:write", label: "scope_requests" },
  { scope: "refunds:write", label: "scope_refunds" },
];

const KEYS_QUERY = ["cityService", "merchantApiKeys"] as const;
const ENDPOINTS_QUERY = ["cityService", "merchantWebhooks"] as const;

export default function ApiPage() {
  const t = useT(openApiMessages);
  const { address, signedIn } = useCitySession();
  const { merchant, status } = useMerchant(address);
  return (
    <div className="open-api-page">
      <h1>{t("title")}</h1>
      <p className="hint">{t("intro")}</p>
      <p>
        <a href="#/merchant/api/reference">{t("referenceLink")}</a>
      </p>
      {status !== "ready" ? (
        <p className="progress">{t("checkingShop")}</p>
      ) : !merchant || !address ? (
        <p role="alert">{t("notMerchant")}</p>
      ) : !signedIn ? (
        <CitySignIn auto={t("signInFor")} />
      ) : (
        <>
          <ApiKeys shop={address} />
          <Webhooks shop={address} />
        </>
      )}
    </div>
  );
}

/** A value shown once (a key, a webhook secret): copy it, then close it for good. */
function ShownOnce({
  title,
  warning,
  value,
  testId,
  onDone,
}: {
  title: string;
  warning: string;
  value: string;
  testId: string;
  onDone: () => void;
}) {
  const t = useT(openApiMessages);
  const [copied, setCopied] = useState(false);
  return (
    <div className="shown-once notice strong" role="status">
      <p>
        <strong>{title}</strong>
      </p>
      <p className="once-warning">⚠ {warning}</p>
      <code className="secret-value" data-testid={testId}>
        {value}
      </code>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          onClick={() =>
            void navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? `✓ ${t("copy")}` : t("copy")}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t("savedIt")}
        </button>
      </div>
    </div>
  );
}

function ApiKeys({ shop }: { shop: Address }) {
  const t = useT(openApiMessages);
  const f = useFormat();
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: [...KEYS_QUERY, shop], queryFn: myApiKeys });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>(["receipts:read"]);
  // The key exists only in this state: gone after "saved", a reload or leaving the page.
  const [fresh, setFresh] = useState<{ name: string; key: string } | null>(null);
  const create = useServiceAction(
    (v: { name: string; scopes: ApiScope[] }) => createApiKey(v.name, v.scopes),
    async (created) => {
      setFresh({ name: created.label, key: created.key });
      setName("");
      await queryClient.invalidateQueries({ queryKey: KEYS_QUERY });
      return undefined;
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === "") return create.refuse(t("nameMissing"));
    if (scopes.length === 0) return create.refuse(t("scopesMissing"));
    setFresh(null);
    create.run({ name: name.trim(), scopes });
  };
  return (
    <section className="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">{t("keysTitle")}</h2>
      <p className="hint">{t("keysHint")}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="api-key-name">{t("keyName")}</label>
        <input
          id="api-key-name"
          autoComplete="off"
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-describedby="api-key-name-hint"
        />
        <p id="api-key-name-hint" className="hint">
          {t("keyNameHint")}
        </p>
        <fieldset className="scope-options">
          <legend>{t("keyScopes")}</legend>
          {SCOPES.map(({ scope, label }) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((old) => (e.target.checked ? [...old, scope] : old.filter((s) => s !== scope)))
                }
              />{" "}
              {t(label)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={create.busy}>
          {create.busy ? t("creating") : t("createKey")}
        </button>
        <OutcomeLine outcome={create.outcome} />
      </form>
      {fresh && (
        <ShownOnce
          title={t("newKeyTitle", { name: fresh.name })}
          warning={t("onceWarning")}
          value={fresh.key}
          testId="new-api-key"
          onDone={() => setFresh(null)}
        />
      )}
      {keys.isError ? (
        <p className="error" role="alert">
          {t("loadFailed", { reason: describe(keys.error) })}
        </p>
      ) : !keys.data ? null : keys.data.length === 0 ? (
        <p>{t("noKeys")}</p>
      ) : (
        <ul className="api-keys">
          {keys.data.map((key) => (
            <KeyItem key={key.id} item={key} t={t} f={f} />
          ))}
        </ul>
      )}
    </section>
  );
}

function KeyItem({ item, t, f }: { item: ApiKeyInfo; t: Translate<OpenApiKey>; f: ReturnType<typeof useFormat> }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useServiceAction(
    () => revokeApiKey(item.id),
    async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: KEYS_QUERY });
      return t("revoked", { name: item.label });
    },
  );
  const scopeWords = SCOPES.filter((s) => item.scopes.includes(s.scope)).map((s) => t(s.label));
  return (
    <li className="api-key" data-key-id={item.id} data-state={item.revokedAt === null ? "live" : "revoked"}>
      <p>
        <strong>{item.label}</strong>
      </p>
      <p>{scopeWords.join(" · ")}</p>
      <p className="hint">
        {t("keyCreated", { time: f.dateTime(item.createdAt) })} ·{" "}
        {item.lastUsedAt === null ? t("keyNeverUsed") : t("keyLastUsed", { time: f.dateTime(item.lastUsedAt) })}
      </p>
      <p className="hint">
        {t("keyStartsWith")} <code>{`hcy_live_${item.id}_…`}</code>
      </p>
      {item.revokedAt !== null ? (
        <p className="revoked">{t("keyRevokedAt", { time: f.dateTime(item.revokedAt) })}</p>
      ) : confirming ? (
        <div className="confirm">
          <p>{t("revokeConfirm", { name: item.label })}</p>
          <div className="button-row">
            <button type="button" className="danger" disabled={revoke.busy} onClick={() => revoke.run(undefined)}>
              {t("revokeYes")}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t("cancel")}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="secondary small" onClick={() => setConfirming(true)}>
          {t("revoke")}
          <span className="visually-hidden"> {item.label}</span>
        </button>
      )}
      <OutcomeLine outcome={revoke.outcome} />
    </li>
  );
}

/** What the dApp itself can tell before asking: a URL, https or this computer. The service decides the rest. */
function urlProblem(text: string): OpenApiKey | null {
  if (text.trim() === "") return "urlMissing";
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return "urlInvalid";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && (host === "localhost" || host === "127.0.0.1" || host === "::1")) return null;
  return "urlNotHttps";
}

const EVENT_WORDS: Record<string, OpenApiKey> = {
  "payment.received": "event_payment_received",
  "request.expired": "event_request_expired",
  "refund.completed": "event_refund_completed",
};

function Webhooks({ shop }: { shop: Address }) {
  const t = useT(openApiMessages);
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const endpoints = useQuery({ queryKey: [...ENDPOINTS_QUERY, shop], queryFn: myWebhookEndpoints });
  const [url, setUrl] = useState("");
  const [fresh, setFresh] = useState<{ url: string; secret: string } | null>(null);
  const add = useServiceAction(
    (u: string) => createWebhookEndpoint(u),
    async (created) => {
      setFresh({ url: created.url, secret: created.secret });
      setUrl("");
      await queryClient.invalidateQueries({ queryKey: ENDPOINTS_QUERY });
      return undefined;
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = urlProblem(url);
    if (problem !== null) return add.refuse(t(problem));
    setFresh(null);
    add.run(url.trim());
  };
  return (
    <section className="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t("webhooksTitle")}</h2>
      <p className="hint">{t("webhooksHint")}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="webhook-url">{t("webhookUrl")}</label>
        <input
          id="webhook-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-describedby="webhook-url-hint"
        />
        <p id="webhook-url-hint" className="hint">
          {t("webhookUrlHint")}
        </p>
        <button type="submit" className="primary" disabled={add.busy}>
          {add.busy ? t("adding") : t("addWebhook")}
        </button>
        <OutcomeLine outcome={add.outcome} />
      </form>
      {fresh && (
        <ShownOnce
          title={t("newSecretTitle", { url: fresh.url })}
          warning={t("secretOnce")}
          value={fresh.secret}
          testId="new-webhook-secret"
          onDone={() => setFresh(null)}
        />
      )}
      {endpoints.isError ? (
        <p className="error" role="alert">
          {t("loadFailed", { reason: describe(endpoints.error) })}
        </p>
      ) : !endpoints.data ? null : endpoints.data.length === 0 ? (
        <p>{t("noWebhooks")}</p>
      ) : (
        <ul className="webhook-endpoints">
          {endpoints.data.map((ep) => (
            <EndpointItem key={ep.id} endpoint={ep} />
          ))}
        </ul>
      )}
    </section>
  );
}

function EndpointItem({ endpoint }: { endpoint: WebhookEndpointInfo }) {
  const t = useT(openApiMessages);
  const f = useFormat();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<"rotate" | "delete" | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const rotate = useServiceAction(
    () => rotateWebhookSecret(endpoint.id),
    (r) => {
      setConfirming(null);
      setSecret(r.secret);
      return undefined;
    },
  );
  const remove = useServiceAction(
    () => deleteWebhookEndpoint(endpoint.id),
    async () => {
      setConfirming(null);
      await queryClient.invalidateQueries({ queryKey: ENDPOINTS_QUERY });
      return t("deleted");
    },
  );
  const eventWords = endpoint.events.map((e) => (EVENT_WORDS[e] ? t(EVENT_WORDS[e]) : e)).join(" · ");
  return (
    <li className="webhook-endpoint" data-endpoint-id={endpoint.id}>
      <p>
        <code className="webhook-url">{endpoint.url}</code>
      </p>
      <p className="hint">
        {t("events", { events: eventWords })} · {t("keyCreated", { time: f.dateTime(endpoint.createdAt) })}
      </p>
      {secret && (
        <ShownOnce
          title={t("newSecretTitle", { url: endpoint.url })}
          warning={t("secretOnce")}
          value={secret}
          testId="new-webhook-secret"
          onDone={() => setSecret(null)}
        />
      )}
      {confirming ? (
        <div className="confirm">
          <p>{confirming === "rotate" ? t("rotateConfirm") : t("deleteConfirm")}</p>
          <div className="button-row">
            <button
              type="button"
              className="danger"
              disabled={rotate.busy || remove.busy}
              onClick={() => (confirming === "rotate" ? rotate.run(undefined) : remove.run(undefined))}
            >
              {confirming === "rotate" ? t("rotateYes") : t("deleteYes")}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              {t("cancel")}
            </button>
          </div>
        </div>
      ) : (
        <div className="button-row">
          <button type="button" className="secondary small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? t("hideAttempts") : t("showAttempts")}
          </button>
          <button type="button" className="secondary small" onClick={() => setConfirming("rotate")}>
            {t("rotate")}
          </button>
          <button type="button" className="secondary small" onClick={() => setConfirming("delete")}>
            {t("deleteWebhook")}
          </button>
        </div>
      )}
      <OutcomeLine outcome={rotate.outcome ?? remove.outcome} />
      {open && <Attempts endpointId={endpoint.id} />}
    </li>
  );
}

function Attempts({ endpointId }: { endpointId: string }) {
  const t = useT(openApiMessages);
  const f = useFormat();
  const describe = useServiceErrorText();
  const queryClient = useQueryClient();
  const queryKey = ["cityService", "webhookAttempts", endpointId];
  // Refreshed while open: a retry or a replay shows up without a reload.
  const attempts = useQuery({ queryKey, queryFn: () => webhookAttempts(endpointId), refetchInterval: 5_000 });
  const replay = useServiceAction(
    (a: WebhookAttempt) => replayWebhook(endpointId, a.eventId),
    async (done) => {
      await queryClient.invalidateQueries({ queryKey });
      return done.httpStatus === null ? t("replayedNoAnswer") : t("replayed", { code: done.httpStatus });
    },
  );
  if (attempts.isError)
    return (
      <p className="error" role="alert">
        {t("loadFailed", { reason: describe(attempts.error) })}
      </p>
    );
  if (!attempts.data) return <p className="progress">{t("attemptsLoading")}</p>;
  if (attempts.data.length === 0) return <p>{t("noAttempts")}</p>;
  // Newest first; a finished event can be sent again from its newest attempt.
  const newest = new Set<string>();
  return (
    <>
      <OutcomeLine outcome={replay.outcome} />
      <ul className="webhook-attempts">
        {attempts.data.map((a) => {
          const first = !newest.has(a.eventId);
          newest.add(a.eventId);
          const word = EVENT_WORDS[a.type];
          return (
            <li key={`${a.eventId}-${a.attempt}`} className="webhook-attempt" data-event={a.eventId}>
              <p>
                <strong>{word ? t(word) : a.type}</strong> · {t("attemptNumber", { n: a.attempt })} ·{" "}
                {a.httpStatus === null ? t("attemptNoAnswer") : t("attemptStatus", { code: a.httpStatus })}
              </p>
              <p className="hint">
                {f.shortDateTimeWithSeconds(a.at)}
                {first && ` · ${t(`delivery_${a.delivery}` as OpenApiKey)}`}
              </p>
              {first && (a.delivery === "delivered" || a.delivery === "failed") && (
                <button type="button" className="secondary small" disabled={replay.busy} onClick={() => replay.run(a)}>
                  {t("replay")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
