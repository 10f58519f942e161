// The API reference (#/merchant/api/reference), rendered here from the running service's
// /openapi.json: the document the routes themselves generate (server/src/api/routes.ts), so the
// routes are described once and nothing is fetched from elsewhere. Grouped by tag; each operation
// with how it is called (key or signed-in owner), its parameters, body fields and answers.
import "./openapi.css";
import { useQuery } from "@tanstack/react-query";
import { serviceUrl } from "../../env";
import { openApiMessages } from "../../i18n/messages/openApi";
import { useLang, useT } from "../../i18n/useT";
import { useServiceErrorText } from "../../service/useServiceErrorText";

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  description?: string;
  example?: unknown;
  nullable?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; description?: string };
type Operation = {
  tags?: string[];
  summary?: string;
  /** The summary in Chinese (the service's `x-summary-zh`, server/src/api/summariesZh.ts). */
  "x-summary-zh"?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};
type Document = {
  info?: {
    title?: string;
    description?: string;
    version?: string;
    /** Chinese beside the English (server/src/api/summariesZh.ts). */
    "x-title-zh"?: string;
    "x-description-zh"?: string;
  };
  tags?: { name: string; "x-name-zh"?: string }[];
  paths?: Record<string, Record<string, Operation>>;
  /** OpenAPI 3.1 webhooks: the messages the service POSTs to a shop's endpoint, by event type. */
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

const METHODS = ["get", "post", "put", "delete", "patch"];

/** An operation's summary in the page's language (English when the service gives no Chinese). */
function Summary({ op }: { op: Operation }) {
  const lang = useLang();
  const text = lang === "zh" ? (op["x-summary-zh"] ?? op.summary) : op.summary;
  return text ? <p lang={lang === "zh" && op["x-summary-zh"] ? "zh" : "en"}>{text}</p> : null;
}
/** The words a shop owner sees for each key scope on the Open API page. */
const SCOPE_LABELS = {
  "receipts:read": "scope_receipts",
  "requests:write": "scope_requests",
  "refunds:write": "scope_refunds",
} as const;

async function loadDocument(): Promise<Document> {
  const res = await fetch(`${serviceUrl}/openapi.json`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as Document;
}

export default function ApiReferencePage() {
  const t = useT(openApiMessages);
  const describe = useServiceErrorText();
  const doc = useQuery({ queryKey: ["openapi.json"], queryFn: loadDocument, staleTime: 60_000 });
  const docUrl = `${serviceUrl}/openapi.json`;
  return (
    <div className="open-api-page api-reference">
      <p>
        <a href="#/merchant/api">← {t("backToApi")}</a>
      </p>
      <h1>{t("refTitle")}</h1>
      <p className="hint">{t("refIntro", { url: docUrl })}</p>
      {doc.isError ? (
        <p className="error" role="alert">
          {t("refFailed", { reason: describe(doc.error) })}
        </p>
      ) : !doc.data ? (
        <p className="progress">{t("refLoading")}</p>
      ) : (
        <Reference doc={doc.data} />
      )}
    </div>
  );
}

function Reference({ doc }: { doc: Document }) {
  const t = useT(openApiMessages);
  const zh = useLang() === "zh";
  const title = (zh && doc.info?.["x-title-zh"]) || doc.info?.title;
  const description = (zh && doc.info?.["x-description-zh"]) || doc.info?.description;
  const tagName = (tag: string) => (zh && doc.tags?.find((x) => x.name === tag)?.["x-name-zh"]) || tag;
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    METHODS.filter((m) => ops[m]).map((method) => ({ path, method, op: ops[method] as Operation })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? ""))];
  const resolve = (s: Schema | undefined): Schema | undefined => {
    let schema = s;
    for (let i = 0; i < 10 && schema?.$ref; i++) {
      schema = doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")];
    }
    return schema;
  };
  return (
    <>
      <section className="card">
        <h2>{title}</h2>
        {description && <p>{description}</p>}
        <p>
          {t("refBaseUrl")} <code>{serviceUrl}</code>
        </p>
        <p>{t("refAuth")}</p>
      </section>
      {tags.map((tag) => (
        <section className="card" key={tag} aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`}>{tagName(tag)}</h2>
          {operations
            .filter((o) => (o.op.tags?.[0] ?? "") === tag)
            .map(({ path, method, op }) => (
              <OperationView key={`${method} ${path}`} path={path} method={method} op={op} resolve={resolve} />
            ))}
        </section>
      ))}
      {Object.keys(doc.webhooks ?? {}).length > 0 && (
        <section className="card" aria-labelledby="api-webhooks">
          <h2 id="api-webhooks">{t("refWebhooksTitle")}</h2>
          <p>{t("refWebhooksIntro")}</p>
          {Object.entries(doc.webhooks ?? {}).map(([event, ops]) =>
            ops.post ? <WebhookView key={event} event={event} op={ops.post} resolve={resolve} /> : null,
          )}
        </section>
      )}
    </>
  );
}

function WebhookView({
  event,
  op,
  resolve,
}: {
  event: string;
  op: Operation;
  resolve: (s: Schema | undefined) => Schema | undefined;
}) {
  const t = useT(openApiMessages);
  const headers = (op.parameters ?? []).filter((p) => p.in === "header");
  return (
    <article className="api-operation api-webhook" data-webhook={event}>
      <h3>
        <code>
          <span className="method method-post">POST</span> {event}
        </code>
      </h3>
      <Summary op={op} />
      {op.description && <p className="hint">{op.description}</p>}
      <h4>{t("refHeaders")}</h4>
      <ul className="api-fields">
        {headers.map((p) => (
          <li key={p.name}>
            <code>{p.name}</code>
            {(p.description ?? p.schema?.description) && <span> — {p.description ?? p.schema?.description}</span>}
          </li>
        ))}
      </ul>
      <h4>{t("refPayload")}</h4>
      <Fields schema={op.requestBody?.content?.["application/json"]?.schema} resolve={resolve} depth={2} />
      <h4>{t("refYourAnswer")}</h4>
      <ul className="api-responses">
        {Object.entries(op.responses ?? {}).map(([code, r]) => (
          <li key={code}>
            <code>{code}</code> {r.description}
          </li>
        ))}
      </ul>
    </article>
  );
}

function typeOf(s: Schema | undefined, resolve: (s: Schema | undefined) => Schema | undefined): string {
  const r = resolve(s);
  if (!r) return "";
  const name = s?.$ref?.replace("#/components/schemas/", "");
  if (r.enum) return r.enum.map(String).join(" | ");
  const alts = r.anyOf ?? r.oneOf;
  if (alts) return alts.map((a) => typeOf(a, resolve)).join(" | ");
  if (r.allOf) return r.allOf.map((a) => typeOf(a, resolve)).join(" & ");
  const type = Array.isArray(r.type) ? r.type.join(" | ") : (r.type ?? "");
  if (type === "array") {
    const item = typeOf(r.items, resolve);
    // An array of a union reads `(a | b)[]`, not `a | b[]`.
    return item.includes(" ") ? `(${item})[]` : `${item}[]`;
  }
  return name ?? type;
}

/** The fields of an object schema, one level deep (nested objects are named by their type). */
function fieldsOf(s: Schema | undefined, resolve: (s: Schema | undefined) => Schema | undefined) {
  const r = resolve(s);
  const parts = r?.allOf ? r.allOf.map(resolve) : [r];
  return parts.flatMap((p) =>
    Object.entries(p?.properties ?? {}).map(([name, field]) => {
      const f = resolve(field);
      return {
        name,
        schema: field,
        type: typeOf(field, resolve),
        required: p?.required?.includes(name) ?? false,
        description: f?.description ?? field.description,
        example: f?.example ?? field.example,
      };
    }),
  );
}

function Fields({
  schema,
  resolve,
  depth = 0,
}: {
  schema: Schema | undefined;
  resolve: (s: Schema | undefined) => Schema | undefined;
  /** How many levels of nested objects to open (a webhook's `data` and its `payment`). */
  depth?: number;
}) {
  const t = useT(openApiMessages);
  const fields = fieldsOf(schema, resolve);
  if (fields.length === 0) return <p className="hint">{typeOf(schema, resolve)}</p>;
  return (
    <ul className="api-fields">
      {fields.map((f) => (
        <li key={f.name}>
          <code>{f.name}</code> <span className="hint">{f.type}</span>
          {f.required && <span className="required"> · {t("refRequired")}</span>}
          {f.description && <span> — {f.description}</span>}
          {f.example !== undefined && (
            <span className="hint">
              {" "}
              (<code>{JSON.stringify(f.example)}</code>)
            </span>
          )}
          {depth > 0 && fieldsOf(f.schema, resolve).length > 0 && (
            <Fields schema={f.schema} resolve={resolve} depth={depth - 1} />
          )}
        </li>
      ))}
    </ul>
  );
}

function OperationView({
  path,
  method,
  op,
  resolve,
}: {
  path: string;
  method: string;
  op: Operation;
  resolve: (s: Schema | undefined) => Schema | undefined;
}) {
  const t = useT(openApiMessages);
  const bySession = op.security?.some((s) => "sessionCookie" in s);
  // The key's scope, as the route enforces it: its security requirement `bearerAuth: [scope]`.
  const scope = op.security?.find((s) => "bearerAuth" in s)?.bearerAuth?.[0];
  const scopeLabel = scope && scope in SCOPE_LABELS ? t(SCOPE_LABELS[scope as keyof typeof SCOPE_LABELS]) : scope;
  const body = op.requestBody?.content?.["application/json"]?.schema;
  return (
    <article className="api-operation" data-operation={`${method} ${path}`}>
      <h3>
        <code>
          <span className={`method method-${method}`}>{method.toUpperCase()}</span> {path}
        </code>
      </h3>
      <Summary op={op} />
      <p className="hint api-auth">
        {bySession ? t("refSession") : scope ? t("refKeyScope", { label: scopeLabel ?? scope, scope }) : t("refKey")}
      </p>
      {op.parameters && op.parameters.length > 0 && (
        <>
          <h4>{t("refParams")}</h4>
          <ul className="api-fields">
            {op.parameters.map((p) => (
              <li key={`${p.in}-${p.name}`}>
                <code>{p.name}</code> <span className="hint">({p.in})</span>
                {p.required && <span className="required"> · {t("refRequired")}</span>}
                {(p.description ?? p.schema?.description) && <span> — {p.description ?? p.schema?.description}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {body && (
        <>
          <h4>{t("refBody")}</h4>
          <Fields schema={body} resolve={resolve} />
        </>
      )}
      <h4>{t("refResponses")}</h4>
      <ul className="api-responses">
        {Object.entries(op.responses ?? {}).map(([code, r]) => {
          const [type, content] = Object.entries(r.content ?? {})[0] ?? [];
          return (
            <li key={code}>
              <code>{code}</code> {r.description}
              {type && code.startsWith("2") && (
                <>
                  {" "}
                  <span className="hint">({type})</span>
                  <Fields schema={content?.schema} resolve={resolve} />
                </>
              )}
            </li>
          );
        })}
      </ul>
    </article>
  );
}
