// Add, rename and remove contacts (kept on this device, synced with the city service while signed
// in). Warns when a new address imitates an existing contact's (same first and last characters).

import { MAX_NAME_CHARS } from "@core/api";
import { findLookalikes } from "@core/lookalike";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { AddressText } from "../../components/AddressText";
import { Field } from "../../components/Field";
import { addContact, type Contact, removeContact, updateContact, useContacts } from "../../contacts/contactsStore";
import { type SyncStatus, useContactsSync } from "../../contacts/contactsSync";
import { addressMessages } from "../../i18n/messages/address";
import { settingsMessages } from "../../i18n/messages/settings";
import { useT } from "../../i18n/useT";
import { parseAddressInput } from "../../lib/addressInput";
import { useCitySession } from "../../service/useCitySession";
import { useServiceErrorText } from "../../service/useServiceErrorText";

export function ContactsEditor({ owner }: { owner: Address }) {
  const t = useT(settingsMessages);
  const contacts = useContacts(owner);
  const [editing, setEditing] = useState<Contact | null>(null);
  const { signedIn } = useCitySession();
  const sync = useContactsSync(owner, signedIn);
  return (
    <section className="card" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t("contacts")}</h2>
      <p className="hint">{t("contactsHint")}</p>
      <SyncLine status={sync.status} onSyncNow={sync.syncNow} />
      {contacts.length === 0 ? (
        <p>{t("contactsEmpty")}</p>
      ) : (
        <ul className="contact-list">
          {contacts.map((c) => (
            <li key={c.id}>
              <span>
                <strong>{c.name}</strong> <AddressText address={c.address} showName={false} />
              </span>
              <span className="button-row">
                <button type="button" className="secondary small" onClick={() => setEditing(c)}>
                  {t("editContact", { name: c.name })}
                </button>
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => {
                    if (window.confirm(t("removeConfirm", { name: c.name }))) removeContact(owner, c.id);
                  }}
                >
                  {t("removeContact", { name: c.name })}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <ContactForm
        key={editing?.id ?? "new"}
        owner={owner}
        contacts={contacts}
        editing={editing}
        onDone={() => setEditing(null)}
      />
    </section>
  );
}

function ContactForm({
  owner,
  contacts,
  editing,
  onDone,
}: {
  owner: Address;
  contacts: Contact[];
  editing: Contact | null;
  onDone: () => void;
}) {
  const t = useT(settingsMessages);
  const ta = useT(addressMessages);
  const [name, setName] = useState(editing?.name ?? "");
  const [addressText, setAddressText] = useState(editing?.address ?? "");
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [warned, setWarned] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (name.trim() === "") return setError(t("contactNameEmpty"));
    const parsed = parseAddressInput(addressText);
    if (!parsed.ok) return setError(ta(parsed.error));
    if (parsed.address.toLowerCase() === owner.toLowerCase()) return setError(ta("addressSelf"));
    const others = contacts.filter((c) => c.id !== editing?.id);
    const duplicate = others.find((c) => c.address === parsed.address);
    if (duplicate) return setError(t("contactDuplicate", { name: duplicate.name }));
    const lookalike = findLookalikes(parsed.address, others)[0];
    // First submit shows the warning; submitting again means the resident checked it.
    if (lookalike && !warned) {
      setWarning(t("contactLookalike", { name: lookalike.name }));
      setWarned(true);
      return;
    }
    if (editing) updateContact(owner, editing.id, { name, address: parsed.address });
    else addContact(owner, name, parsed.address);
    setName("");
    setAddressText("");
    setWarning(null);
    setWarned(false);
    onDone();
  };

  return (
    <form
      className="stack"
      onSubmit={submit}
      aria-label={editing ? t("editContact", { name: editing.name }) : t("addContact")}
    >
      <h3>{editing ? t("editContact", { name: editing.name }) : t("addContact")}</h3>
      <Field id="contact-name" label={t("contactName")}>
        <input
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          maxLength={MAX_NAME_CHARS}
        />
      </Field>
      <Field id="contact-address" label={t("contactAddress")}>
        <input
          type="text"
          value={addressText}
          onChange={(e) => {
            setAddressText(e.target.value);
            setWarned(false);
            setWarning(null);
          }}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      {warning && (
        <p className="notice" role="alert">
          <span aria-hidden="true">⚠ </span>
          {warning}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary">
        {editing ? t("saveContact") : t("addContact")}
      </button>
    </form>
  );
}

function SyncLine({ status, onSyncNow }: { status: SyncStatus; onSyncNow: () => void }) {
  const t = useT(settingsMessages);
  const describe = useServiceErrorText();
  return (
    <div className="sync-status" role="status" data-sync={status.state}>
      {status.state === "off" && <p className="hint">{t("syncOff")}</p>}
      {status.state === "syncing" && <p className="hint">{t("syncing")}</p>}
      {status.state === "synced" && (
        <p className="hint">
          <span aria-hidden="true">✓ </span>
          {t("synced")}
        </p>
      )}
      {status.state === "failed" && (
        <p className="error">
          {t("syncFailed", { reason: describe(status.error) })}{" "}
          <button type="button" className="secondary small" onClick={onSyncNow}>
            {t("syncNow")}
          </button>
        </p>
      )}
    </div>
  );
}
