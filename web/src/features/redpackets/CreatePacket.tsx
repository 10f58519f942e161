// Sending a red packet: the form (who, how much, how many, how split, greeting, expiry), then an
// ERC-2612 permit for exactly the amount, then the one transaction (createWithPermit) through the
// shared <TxConfirm>, then the link and QR code to share. A link packet's one-time key is made
// here, in the browser, and only ever travels inside the link's fragment. A named-friends packet
// holds the Merkle root of the ticked contacts; their list travels in the link the same way.

import { PACKET_MODE } from "@core/enums";
import { buildFriendsTree } from "@core/friendsTree";
import { formatFen, isAmountError, parseYuan } from "@core/money";
import { useState } from "react";
import { type Address, getAddress, type Hex, isAddress, parseEventLogs, type TransactionReceipt } from "viem";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { useConfig, useConnection, usePublicClient, useReadContract } from "wagmi";
import { cityChain } from "../../chain";
import { AMOUNT_INPUT, DIGITS_INPUT, Field } from "../../components/Field";
import { useContacts } from "../../contacts/contactsStore";
import { redPacket } from "../../contracts";
import { moneyMessages } from "../../i18n/messages/money";
import { redPacketMessages } from "../../i18n/messages/redpackets";
import { useFormat } from "../../i18n/useFormat";
import { useT } from "../../i18n/useT";
import { classifyTxError } from "../../tx/txErrors";
import { useTxFailureText } from "../../tx/txFailureText";
import { PASSKEY_WALLET_ID } from "../../wallet/passkey/passkeyConnector";
import { signExactPermit } from "./exactPermit";
import { audienceKeyOf } from "./link";
import { PacketReview } from "./PacketReview";
import { checkPacketForm, type PacketFormError, type PacketFormInput } from "./packetForm";
import { audienceOf, type PreparedPacket } from "./packetWrites";
import { rememberClaimKey, rememberFriendList } from "./redPacketContract";
import { SharePacket } from "./SharePacket";
import { type CreatedPacket, findRecentTwin } from "./twin";
import { readCreatedBy } from "./usePackets";

export function CreatePacket({ onCreated }: { onCreated?: () => void }) {
  const t = useT(redPacketMessages);
  const fmt = useFormat();
  const tm = useT(moneyMessages);
  const failureText = useTxFailureText();
  const config = useConfig();
  const client = usePublicClient({ chainId: cityChain.id });
  const { address: me, connector } = useConnection();
  // A passkey account cannot sign a permit (HCY checks it by ECDSA), but batches: approve + create.
  const batches = connector?.id === PASSKEY_WALLET_ID;
  const contacts = useContacts(me);
  const [input, setInput] = useState<PacketFormInput>({
    audience: "link",
    amount: "",
    shares: "3",
    mode: "random",
    greeting: "",
    hours: "",
    friend: "",
    friends: [],
  });
  const [errors, setErrors] = useState<Partial<Record<string, PacketFormError | "friendSelf">>>({});
  const [stage, setStage] = useState<"form" | "signing" | "review" | "sent">("form");
  const [permitError, setPermitError] = useState<string | null>(null);
  const [prepared, setPrepared] = useState<PreparedPacket | null>(null);
  const [packetId, setPacketId] = useState<bigint | null>(null);
  const [twin, setTwin] = useState<CreatedPacket | null>(null);

  const limits = useReadContract({
    address: redPacket.address,
    abi: redPacket.abi,
    functionName: "limits",
    chainId: cityChain.id,
    query: { enabled: Boolean(redPacket), staleTime: 60_000 },
  });
  const [maxTotal, maxShares, defaultDuration, maxDuration] = (limits.data as
    | readonly [bigint, bigint, bigint, bigint]
    | undefined) ?? [20_000n, 100n, 86_400n, 7n * 86_400n];

  const set = (patch: Partial<PacketFormInput>) => setInput((i) => ({ ...i, ...patch }));
  const message = (e: PacketFormError | "friendSelf" | undefined) =>
    e === undefined ? null : isAmountError(e) ? tm(e) : errorText(e);
  const errorText = (e: string) =>
    ({
      amountOverLimit: t("RedPacketAmountTooLarge"),
      sharesInvalid: t("sharesInvalid", { max: maxShares.toString() }),
      sharesTooMany: t("RedPacketTooManyShares"),
      sharesExceedAmount: t("RedPacketSharesExceedAmount"),
      greetingTooLong: t("RedPacketGreetingTooLong"),
      hoursInvalid: t("hoursInvalid"),
      hoursTooLong: t("RedPacketDurationTooLong"),
      friendInvalid: t("friendInvalid"),
      friendSelf: t("friendSelf"),
      friendsTooFew: t("friendsTooFew"),
      sharesOverFriends: t("sharesOverFriends"),
    })[e] ?? e;
  // Ticking a friend makes the shares follow the number of friends: one share each by default.
  const toggleFriend = (address: Address, on: boolean) =>
    setInput((i) => {
      const current = i.friends ?? [];
      const friends = on ? [...current, address] : current.filter((f) => f !== address);
      return { ...i, friends, shares: String(friends.length) };
    });
  const pickable = contacts.filter((c) => !me || c.address.toLowerCase() !== me.toLowerCase());

  async function prepare({ again = false }: { again?: boolean } = {}) {
    if (!redPacket || !me) return;
    const checked = checkPacketForm(input, { maxTotal, maxShares, defaultDuration, maxDuration }, t("defaultGreeting"));
    const next: Partial<Record<string, PacketFormError | "friendSelf">> = checked.ok ? {} : { ...checked.errors };
    let friend: Address | undefined;
    if (input.audience === "friend") {
      const text = (input.friend ?? "").trim();
      if (!isAddress(text, { strict: false })) next.friend = "friendInvalid";
      else if (text.toLowerCase() === me.toLowerCase()) next.friend = "friendSelf";
      else friend = getAddress(text);
    }
    setErrors(next);
    if (!checked.ok || Object.keys(next).length > 0) return;
    setPermitError(null);
    setTwin(null);
    setStage("signing");
    const audience = audienceOf(input);
    // Sent the same packet a moment ago (a reload, a second tap)? Say so before anything is
    // signed; sending another is a deliberate second choice.
    if (!again && client) {
      try {
        const [created, latest] = await Promise.all([readCreatedBy(client, me), client.getBlock()]);
        const found = findRecentTwin(
          created,
          { ...checked.plan, mode: PACKET_MODE[checked.plan.mode], audience },
          Number(latest.timestamp),
        );
        if (found) {
          setTwin(found);
          setStage("form");
          return;
        }
      } catch (error) {
        setPermitError(t("twinCheckFailed", { reason: failureText(classifyTxError(error)) }));
        setStage("form");
        return;
      }
    }
    try {
      // The key exists before anything is signed and is saved first, so a reload mid-way can
      // never leave a funded packet whose link is lost.
      let key: Hex | undefined;
      let audienceKey: Hex;
      let friends: Address[] | undefined;
      if (friend) audienceKey = audienceKeyOf(friend);
      else if (input.audience === "friends") {
        const tree = buildFriendsTree(input.friends ?? []);
        friends = tree.friends;
        audienceKey = tree.root;
        rememberFriendList(tree.root, tree.friends);
      } else {
        key = generatePrivateKey();
        const keyAddress = privateKeyToAddress(key);
        rememberClaimKey(keyAddress, key);
        audienceKey = audienceKeyOf(keyAddress);
      }
      const permit = batches ? null : await signExactPermit(config, redPacket.address, checked.plan.amount);
      setPrepared({ plan: checked.plan, permit, key, friend, friends, audience, audienceKey });
      setStage("review");
    } catch (error) {
      setPermitError(t("permitFailed", { reason: failureText(classifyTxError(error)) }));
      setStage("form");
    }
  }

  function onConfirmed(receipt: TransactionReceipt) {
    const [created] = parseEventLogs({ abi: redPacket.abi, logs: receipt.logs, eventName: "PacketCreated" });
    if (created) setPacketId((created.args as { packetId: bigint }).packetId);
    setStage("sent");
    onCreated?.();
  }

  if (stage === "sent" && prepared && packetId !== null) {
    return (
      <SharePacket
        packetId={packetId}
        claimKey={prepared.key}
        friend={prepared.friend}
        friends={prepared.friends}
        onAnother={() => {
          setPrepared(null);
          setPacketId(null);
          set({ amount: "" });
          setStage("form");
        }}
      />
    );
  }

  if ((stage === "review" || stage === "sent") && prepared) {
    return <PacketReview prepared={prepared} onConfirmed={onConfirmed} onCancel={() => setStage("form")} />;
  }

  const parsedAmount = parseYuan(input.amount);
  return (
    <section className="card stack" aria-labelledby="create-packet-title">
      <h2 id="create-packet-title">{t("createTitle")}</h2>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void prepare();
        }}
      >
        <fieldset>
          <legend>{t("audience")}</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="audience"
              checked={input.audience === "link"}
              onChange={() => set({ audience: "link" })}
            />
            {t("audienceLink")}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="audience"
              checked={input.audience === "friend"}
              onChange={() => set({ audience: "friend" })}
            />
            {t("audienceFriend")}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="audience"
              checked={input.audience === "friends"}
              onChange={() => set({ audience: "friends", shares: String(input.friends?.length ?? 0) })}
            />
            {t("audienceFriends")}
          </label>
        </fieldset>
        {input.audience === "link" && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={input.residents === true}
              onChange={(e) => set({ residents: e.target.checked })}
            />
            {t("audienceResidents")}
          </label>
        )}
        {input.audience === "friends" &&
          (pickable.length === 0 ? (
            <p className="hint">{t("friendsNoContacts")}</p>
          ) : (
            <fieldset aria-describedby={errors.friends ? "packet-friends-error" : undefined}>
              <legend>{t("friendsPick")}</legend>
              {pickable.map((c) => (
                <label key={c.id} className="checkbox">
                  <input
                    type="checkbox"
                    checked={(input.friends ?? []).includes(c.address)}
                    onChange={(e) => toggleFriend(c.address, e.target.checked)}
                  />
                  {c.name}
                </label>
              ))}
              {errors.friends && (
                <p id="packet-friends-error" className="error" role="alert">
                  {errorText(errors.friends)}
                </p>
              )}
            </fieldset>
          ))}
        {input.audience === "friend" && (
          <>
            {contacts.length > 0 && (
              <label className="field">
                <span>{t("friendPick")}</span>
                <select value={input.friend} onChange={(e) => set({ friend: e.target.value })}>
                  <option value="">{t("friendNone")}</option>
                  {contacts.map((c) => (
                    <option key={c.id} value={c.address}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <Field label={t("friend")} error={errors.friend ? errorText(errors.friend) : null} id="packet-friend">
              <input
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={input.friend}
                onChange={(e) => set({ friend: e.target.value })}
              />
            </Field>
          </>
        )}
        <Field label={t("amount")} error={message(errors.amount)} id="packet-amount">
          <input {...AMOUNT_INPUT} value={input.amount} onChange={(e) => set({ amount: e.target.value })} />
        </Field>
        {input.audience !== "friend" && (
          <Field label={t("shares")} error={message(errors.shares)} id="packet-shares">
            <input {...DIGITS_INPUT} value={input.shares} onChange={(e) => set({ shares: e.target.value })} />
          </Field>
        )}
        {input.audience !== "friend" && input.shares.trim() !== "1" && (
          <fieldset>
            <legend>{t("mode")}</legend>
            <label className="checkbox">
              <input
                type="radio"
                name="mode"
                checked={input.mode === "random"}
                onChange={() => set({ mode: "random" })}
              />
              {t("modeRandom")}
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name="mode"
                checked={input.mode === "equal"}
                onChange={() => set({ mode: "equal" })}
              />
              {t("modeEqual")}
            </label>
          </fieldset>
        )}
        <Field label={t("greeting")} error={message(errors.greeting)} id="packet-greeting">
          <input
            type="text"
            placeholder={t("greetingPlaceholder")}
            value={input.greeting}
            onChange={(e) => set({ greeting: e.target.value })}
          />
        </Field>
        <Field label={t("hours")} error={message(errors.hours)} id="packet-hours">
          <input {...AMOUNT_INPUT} value={input.hours} onChange={(e) => set({ hours: e.target.value })} />
        </Field>
        <p className="hint">{t("limitsHint", { max: formatFen(maxTotal), shares: maxShares.toString() })}</p>
        <p className="hint">{t("permitHint", { amount: parsedAmount.ok ? formatFen(parsedAmount.fen) : "—" })}</p>
        {permitError && (
          <p className="error" role="alert">
            {permitError}
          </p>
        )}
        {stage === "signing" && (
          <p className="progress" role="status">
            {t("signingPermit")}
          </p>
        )}
        {twin && (
          <div className="notice card stack" role="alert" data-testid="packet-twin">
            <p>
              <strong>
                <span aria-hidden="true">⚠ </span>
                {t("twinTitle")}
              </strong>
            </p>
            <p>
              {t("twinWhen", {
                when: fmt.time(twin.createdAt * 1000),
                amount: formatFen(twin.amount),
                shares: twin.shares.toString(),
                greeting: twin.greeting,
              })}
            </p>
            <p className="hint">{t("twinHint")}</p>
            <div className="button-row">
              <button type="button" className="secondary" onClick={() => setTwin(null)}>
                {t("twinStop")}
              </button>
              <button type="button" className="primary" onClick={() => void prepare({ again: true })}>
                {t("twinAgain")}
              </button>
            </div>
          </div>
        )}
        <div className="button-row">
          <button type="submit" className="primary big" disabled={stage === "signing" || !me}>
            {t("review")}
          </button>
        </div>
      </form>
    </section>
  );
}
