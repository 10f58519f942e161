// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityYuan} from "./ICityYuan.sol";

/// @title Red packets (红包): an HCY escrow split in shares
/// @notice A sender escrows an amount of HCY split in N shares, equal (普通) or random (拼手气, double
/// mean, every share at least 1 fen). Who may claim is fixed at creation:
/// - `Friend`: one named friend (the 1:1 packet, always one share);
/// - `Friends`: the addresses of a Merkle tree whose root the sender gives; once per address;
/// - `Link`: whoever holds the link, which carries a one-time private key; a claim carries that
///   key's EIP-712 signature over (chain id, this contract, packet id, claimer), so a claim seen in
///   the mempool can only ever pay the claimer it was signed for. The link holder can sign for any
///   address, so the escrow keeps no per-address marker here (see `Residents` for one share per
///   person);
/// - `Residents`: a link packet where each claim also needs the city service's resident ticket, and
///   each verified identity (its nullifier) claims once per packet whatever address it uses.
/// An equal share (and the last share of any packet) is paid in the claim's transaction. A random
/// share is committed by the claim and drawn from the hash of the block that included the claim,
/// unknown when the claim was signed; it is paid by the next claim of the packet or by {settle}
/// (see the contract's threat model). A share nobody draws within 256 blocks of its claim (the
/// block hashes the EVM keeps) is late: its claimer gets the smallest share, 1 fen, and the rest of
/// the equal share goes back to the sender ({ShareDrawnLate}), so waiting never pays.
/// From its expiry on, nothing can be claimed and anyone may push what is left back to the sender.
interface IRedPacket {
    // ───────────────────────────── types ─────────────────────────────

    /// @notice How the amount is split: equal shares (the last one takes the rounding rest) or
    /// random shares by the double-mean method.
    enum Mode {
        Equal,
        Random
    }

    /// @notice Who may claim.
    enum Audience {
        Friend,
        Friends,
        Link,
        Residents
    }

    /// @notice What a sender asks for.
    /// @param amount Total in fen, at least `shares` (every share is at least 1 fen).
    /// @param shares Number of shares; exactly 1 for a `Friend` packet.
    /// @param mode Equal or random split.
    /// @param audience Who may claim.
    /// @param audienceKey The friend's address (`Friend`), the Merkle root of the friends
    /// (`Friends`, leaves as in OpenZeppelin's StandardMerkleTree of `address`), or the address of
    /// the link's one-time key (`Link`, `Residents`). Addresses are left-padded to 32 bytes.
    /// @param duration Seconds until expiry; 0 takes the default. At most the admin's maximum.
    /// @param greeting A short message (恭喜发财), at most 64 bytes; emitted, not stored.
    struct PacketSpec {
        uint256 amount;
        uint256 shares;
        Mode mode;
        Audience audience;
        bytes32 audienceKey;
        uint256 duration;
        string greeting;
    }

    /// @notice Everything the dApp shows about a packet.
    struct PacketView {
        address sender;
        uint256 total;
        uint256 remaining;
        uint256 shares;
        uint256 claimed;
        uint256 expiry;
        Mode mode;
        Audience audience;
        bytes32 audienceKey;
        bool refunded;
    }

    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when `packetId` was never created.
    /// @param packetId The id asked for.
    error RedPacketUnknownPacket(uint256 packetId);
    /// @notice Thrown when a packet would have no shares.
    error RedPacketZeroShares();
    /// @notice Thrown when a packet would have more shares than the admin allows.
    /// @param shares The shares asked for.
    /// @param maxShares The admin's maximum.
    error RedPacketTooManyShares(uint256 shares, uint256 maxShares);
    /// @notice Thrown when the amount cannot give every share at least 1 fen.
    /// @param shares The shares asked for.
    /// @param amount The packet's amount, in fen.
    error RedPacketSharesExceedAmount(uint256 shares, uint256 amount);
    /// @notice Thrown when the amount is over the admin's per-packet maximum.
    /// @param amount The packet's amount, in fen.
    /// @param maxTotal The admin's maximum, in fen.
    error RedPacketAmountTooLarge(uint256 amount, uint256 maxTotal);
    /// @notice Thrown when the requested duration is over the admin's maximum.
    /// @param duration The duration asked for, in seconds.
    /// @param maxDuration The admin's maximum, in seconds.
    error RedPacketDurationTooLong(uint256 duration, uint256 maxDuration);
    /// @notice Thrown when the greeting is longer than `maxLength` bytes.
    /// @param length The greeting's length, in bytes.
    /// @param maxLength The longest greeting allowed, in bytes.
    error RedPacketGreetingTooLong(uint256 length, uint256 maxLength);
    /// @notice Thrown when the audience key is not a nonzero address (`Friend`, `Link`) or is zero
    /// (`Friends`).
    /// @param audience The packet's audience.
    /// @param audienceKey The key given for it.
    error RedPacketInvalidAudienceKey(Audience audience, bytes32 audienceKey);
    /// @notice Thrown when a 1:1 (`Friend`) packet asks for other than exactly one share.
    /// @param shares The shares asked for.
    error RedPacketFriendPacketNotSingleShare(uint256 shares);
    /// @notice Thrown when a claim entry point does not match the packet's audience.
    /// @param packetId The packet.
    /// @param audience The packet's audience, which names the entry point to use.
    error RedPacketWrongAudience(uint256 packetId, Audience audience);
    /// @notice Thrown when a claim comes at or after the packet's expiry.
    /// @param packetId The packet.
    /// @param expiry Its expiry (Unix seconds).
    error RedPacketExpired(uint256 packetId, uint256 expiry);
    /// @notice Thrown when every share of the packet has been claimed.
    /// @param packetId The packet.
    error RedPacketExhausted(uint256 packetId);
    /// @notice Thrown when a claim or refund comes after the packet was refunded.
    /// @param packetId The packet.
    error RedPacketAlreadyRefunded(uint256 packetId);
    /// @notice Thrown when `claimer` already claimed a share of this packet.
    /// @param packetId The packet.
    /// @param claimer Who claimed before.
    error RedPacketAlreadyClaimed(uint256 packetId, address claimer);
    /// @notice Thrown when `claimer` is not the packet's friend or not in its friends' tree.
    /// @param packetId The packet.
    /// @param claimer Who tried to claim.
    error RedPacketNotRecipient(uint256 packetId, address claimer);
    /// @notice Thrown when a link claim's signature is not the link key's over this packet and
    /// claimer.
    /// @param packetId The packet.
    /// @param claimer The claimer the signature was checked for.
    error RedPacketInvalidClaimSignature(uint256 packetId, address claimer);
    /// @notice Thrown when a refund comes before the packet's expiry.
    /// @param packetId The packet.
    /// @param expiry Its expiry (Unix seconds), from which it can be refunded.
    error RedPacketNotExpired(uint256 packetId, uint256 expiry);
    /// @notice Thrown when a refund finds nothing left: every share was claimed.
    /// @param packetId The packet.
    error RedPacketNothingToRefund(uint256 packetId);
    /// @notice Thrown when a claim or draw would pay out of a packet whose sender is frozen: nothing
    /// leaves her packets until the compliance officer unfreezes her.
    /// @param packetId The packet.
    /// @param sender Its frozen sender.
    error RedPacketSenderFrozen(uint256 packetId, address sender);
    /// @notice Thrown when a share would go to an address that can never spend it (zero, this escrow
    /// or the token).
    /// @param claimer The address the share would go to.
    error RedPacketInvalidClaimer(address claimer);
    /// @notice Thrown when a relayed claim's consent is not the claimer's signature (ECDSA or
    /// ERC-1271) over this packet, claimer and deadline, or was already used.
    /// @param packetId The packet.
    /// @param claimer The claimer whose consent was checked.
    error RedPacketInvalidConsent(uint256 packetId, address claimer);
    /// @notice Thrown when a relayed claim's consent is past its deadline.
    /// @param deadline The consent's deadline (Unix seconds).
    error RedPacketConsentExpired(uint256 deadline);
    /// @notice Thrown when a random share of the packet was claimed in this very block: its draw
    /// needs this block's hash, known from the next block on. Retry in the next block.
    /// @param packetId The packet.
    /// @param blockNumber The block whose hash the waiting share is drawn from.
    error RedPacketDrawPending(uint256 packetId, uint256 blockNumber);
    /// @notice Thrown by {settle} when no share of the packet waits for its draw.
    /// @param packetId The packet.
    error RedPacketNothingToSettle(uint256 packetId);
    /// @notice Thrown when a resident ticket is not the city service's signature over this chain,
    /// contract, packet, claimer, nullifier and deadline.
    /// @param packetId The packet.
    /// @param claimer The claimer the ticket was checked for.
    error RedPacketInvalidTicket(uint256 packetId, address claimer);
    /// @notice Thrown when a resident ticket is past its deadline.
    /// @param deadline The ticket's deadline (Unix seconds).
    error RedPacketTicketExpired(uint256 deadline);
    /// @notice Thrown when the verified identity behind `nullifier` already claimed this packet.
    /// @param packetId The packet.
    /// @param nullifier The identity's nullifier for this packet's tickets.
    error RedPacketIdentityAlreadyClaimed(uint256 packetId, bytes32 nullifier);
    /// @notice Thrown when a `Residents` packet is created while no ticket signer is set.
    error RedPacketNoTicketSigner();
    /// @notice Thrown when a rescue finds no HCY beyond what the escrow owes.
    error RedPacketNoExcess();
    /// @notice Thrown when the list of live packets given to a rescue is not exactly the live
    /// packets, in increasing order.
    /// @param given How many packets the list named.
    /// @param live How many packets are live.
    error RedPacketLivePacketsMismatch(uint256 given, uint256 live);
    /// @notice Thrown when nothing is held for `claimer` (see {releaseHeld}), or it is still frozen.
    /// @param claimer Whose held shares were asked for.
    error RedPacketNothingHeld(address claimer);
    /// @notice Thrown when the admin's limits are inconsistent or beyond the storage bounds.
    /// @param maxTotal The largest packet, in fen.
    /// @param maxShares The most shares in one packet.
    /// @param defaultDuration The duration of a packet that names none, in seconds.
    /// @param maxDuration The longest duration, in seconds.
    error RedPacketInvalidLimits(uint256 maxTotal, uint256 maxShares, uint256 defaultDuration, uint256 maxDuration);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when `sender` escrows `amount` in packet `packetId`.
    /// @dev `audienceKey` is indexed so a friend finds the 1:1 packets addressed to them.
    /// @param packetId The new packet's id.
    /// @param sender Who escrowed it.
    /// @param audienceKey The friend's address, the friends' Merkle root or the link's key (as bytes32).
    /// @param audience Who may claim.
    /// @param mode Equal or random shares.
    /// @param amount The amount escrowed, in fen.
    /// @param shares The number of shares.
    /// @param expiry When claims end and the refund opens (Unix seconds).
    /// @param greeting The sender's greeting.
    event PacketCreated(
        uint256 indexed packetId,
        address indexed sender,
        bytes32 indexed audienceKey,
        Audience audience,
        Mode mode,
        uint256 amount,
        uint256 shares,
        uint256 expiry,
        string greeting
    );
    /// @notice Emitted when `claimer` receives `amount`, the share number `index` (0-based). For a
    /// random share this comes when the share is drawn, after its {ShareCommitted}.
    /// @param packetId The packet.
    /// @param claimer Who received the share.
    /// @param amount The share, in fen.
    /// @param index The share's number, from 0.
    event PacketClaimed(uint256 indexed packetId, address indexed claimer, uint256 amount, uint256 index);
    /// @notice Emitted when `claimer` claims the random share number `index`; its amount is drawn
    /// from the hash of block `blockNumber` (this block) and paid later with {PacketClaimed}.
    /// @param packetId The packet.
    /// @param claimer Who claimed.
    /// @param index The share's number, from 0.
    /// @param blockNumber The block whose hash draws the share.
    event ShareCommitted(uint256 indexed packetId, address indexed claimer, uint256 index, uint256 blockNumber);
    /// @notice Emitted when a drawn share could not be paid because `claimer` is frozen: the escrow
    /// holds it for her until she is unfrozen (see {releaseHeld}).
    /// @param packetId The packet.
    /// @param claimer The frozen claimer.
    /// @param amount The share held for her, in fen.
    /// @param index The share's number, from 0.
    event ShareHeld(uint256 indexed packetId, address indexed claimer, uint256 amount, uint256 index);
    /// @notice Emitted when the random share number `index` was drawn more than 256 blocks after
    /// its claim, when its block hash was gone: `claimer` got the smallest share (1 fen, with its
    /// {PacketClaimed} or {ShareHeld}) and `returned` fen, the rest of the equal share, went back to
    /// the sender (with its {PacketRefunded}, or within the refund when the refund drew it).
    /// @param packetId The packet.
    /// @param claimer Who claimed the late share.
    /// @param index The share's number, from 0.
    /// @param returned What went back to the sender, in fen.
    event ShareDrawnLate(uint256 indexed packetId, address indexed claimer, uint256 index, uint256 returned);
    /// @notice Emitted when held shares (`amount` in all) went to `claimer` after her unfreeze.
    /// @param claimer Who received the held shares.
    /// @param amount Their total, in fen.
    event HeldReleased(address indexed claimer, uint256 amount);
    /// @notice Emitted when the admin moves HCY sent straight to the escrow (beyond what it owes).
    /// @param to Who received the excess.
    /// @param amount How much, in fen.
    event ExcessRescued(address indexed to, uint256 amount);
    /// @notice Emitted when the admin sets the city service's ticket-signing address.
    /// @param admin The admin who set it.
    /// @param signer The new ticket signer (zero: none, residents' packets cannot be created).
    event TicketSignerSet(address indexed admin, address indexed signer);
    /// @notice Emitted when what was left (`amount`) went back to `sender`, triggered by `caller`:
    /// the rest from the expiry on, or what a late share left over (see {ShareDrawnLate}).
    /// @param packetId The packet.
    /// @param sender Its sender, who got the rest back.
    /// @param caller Who pushed the refund.
    /// @param amount What went back, in fen.
    event PacketRefunded(uint256 indexed packetId, address indexed sender, address indexed caller, uint256 amount);
    /// @notice Emitted when `admin` sets new limits; packets already created keep their terms.
    /// @param admin The admin who set them.
    /// @param maxTotal The largest packet, in fen.
    /// @param maxShares The most shares in one packet.
    /// @param defaultDuration The duration of a packet that names none, in seconds.
    /// @param maxDuration The longest duration, in seconds.
    event LimitsSet(
        address indexed admin,
        uint256 maxTotal,
        uint256 maxShares,
        uint256 defaultDuration,
        uint256 maxDuration
    );

    // ───────────────────────────── create ─────────────────────────────

    /// @notice Creates a packet funded from the caller's HCY, which must already approve this
    /// contract for `spec.amount`.
    /// @return packetId The new packet's id (ids start at 1).
    function create(PacketSpec calldata spec) external returns (uint256 packetId);

    /// @notice Creates a packet funded in the same transaction by an ERC-2612 permit of exactly
    /// `spec.amount` from the caller to this contract. If the permit was already submitted by
    /// someone else (a mempool copy), the allowance it set is used.
    /// @return packetId The new packet's id.
    function createWithPermit(
        PacketSpec calldata spec,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 packetId);

    // ───────────────────────────── claim ─────────────────────────────

    /// @notice The named friend claims a 1:1 (`Friend`) packet.
    /// @return amount What the caller received, in fen.
    function claim(uint256 packetId) external returns (uint256 amount);

    /// @notice A friend in the packet's Merkle tree (`Friends`) claims a share.
    /// @param proof The Merkle proof of the caller's leaf.
    /// @return amount What the caller received, in fen.
    function claimWithProof(uint256 packetId, bytes32[] calldata proof) external returns (uint256 amount);

    /// @notice The caller claims a share of a `Link` packet with the link key's signature of
    /// {claimDigest}(packetId, caller).
    /// @return amount What the caller received, in fen.
    function claimWithSignature(uint256 packetId, bytes calldata signature) external returns (uint256 amount);

    /// @notice Anyone (a relayer paying the gas) claims a share of a `Link` packet for `claimer`,
    /// with the link key's signature of {claimDigest}(packetId, claimer) AND the claimer's own
    /// consent: her signature of {consentDigest}(packetId, claimer, deadline), ECDSA for an account
    /// with a key or ERC-1271 for a contract account. Each consent is used once. The share goes to
    /// `claimer`, never to the caller.
    /// @return amount What `claimer` received, in fen (0 while a random share waits for its draw).
    function claimFor(
        address claimer,
        uint256 packetId,
        bytes calldata linkSignature,
        uint256 deadline,
        bytes calldata consent
    ) external returns (uint256 amount);

    /// @notice The caller claims a share of a `Residents` packet: the link key's signature of
    /// {claimDigest}(packetId, caller) and the city service's ticket, its signature of
    /// {ticketDigest}(packetId, caller, nullifier, deadline). Each nullifier claims once per packet.
    /// @return amount What the caller received, in fen (0 while a random share waits for its draw).
    function claimAsResident(
        uint256 packetId,
        bytes calldata linkSignature,
        bytes32 nullifier,
        uint256 deadline,
        bytes calldata ticket
    ) external returns (uint256 amount);

    /// @notice Anyone draws and pays the packet's random share that waits for its draw (claimed in
    /// an earlier block). Claims and refunds do this themselves; this is for the last waiting share,
    /// and for the claimer's own dApp, which draws her share at once so it is never late. Drawn
    /// more than 256 blocks after its claim, the share is 1 fen and the rest of the equal share
    /// goes back to the sender (see {ShareDrawnLate}).
    /// @return amount What its claimer received (or is held for her if frozen), in fen.
    function settle(uint256 packetId) external returns (uint256 amount);

    /// @notice Anyone pays `claimer` the shares held for her while she was frozen, once she is not.
    /// @return amount What she received, in fen.
    function releaseHeld(address claimer) external returns (uint256 amount);

    // ───────────────────────────── refund ─────────────────────────────

    /// @notice From the packet's expiry on, anyone sends what is left back to its sender.
    /// @return amount What went back, in fen.
    function refundExpired(uint256 packetId) external returns (uint256 amount);

    // ───────────────────────────── admin ─────────────────────────────

    /// @notice Sets the per-packet limits. Admin only. Packets already created keep their terms.
    function setLimits(uint256 maxTotal, uint256 maxShares, uint256 defaultDuration, uint256 maxDuration) external;

    /// @notice Sets the city service's ticket-signing address (zero: no new `Residents` packets;
    /// tickets of the old signer stop working at once). Admin only.
    function setTicketSigner(address signer) external;

    /// @notice Moves HCY sent straight to the escrow (not through `create`) to `to`: only the
    /// balance beyond what the escrow owes (what its live packets still hold plus held shares),
    /// never a fen of what is owed. `livePackets` must be exactly the packets that still hold
    /// money, in increasing order (read them from the logs); the escrow counts them to check.
    /// Admin only.
    /// @return amount What was moved.
    function rescueExcess(address to, uint256[] calldata livePackets) external returns (uint256 amount);

    // ───────────────────────────── reads ─────────────────────────────

    /// @notice The escrowed token.
    function token() external view returns (ICityYuan);

    /// @notice The current limits.
    function limits()
        external
        view
        returns (uint256 maxTotal, uint256 maxShares, uint256 defaultDuration, uint256 maxDuration);

    /// @notice Number of packets created so far; the latest id.
    function packetCount() external view returns (uint256);

    /// @notice A packet's state. Reverts with {RedPacketUnknownPacket} for an unknown id.
    function packet(uint256 packetId) external view returns (PacketView memory);

    /// @notice Whether `account` claimed from a `Friend` or `Friends` packet (the audiences that keep
    /// one claim per address). Claims of every packet are in the {PacketClaimed} and
    /// {ShareCommitted} logs.
    function hasClaimed(uint256 packetId, address account) external view returns (bool);

    /// @notice Whether the identity behind `nullifier` claimed the `Residents` packet.
    function nullifierUsed(uint256 packetId, bytes32 nullifier) external view returns (bool);

    /// @notice The random share of the packet waiting for its draw: its claimer (zero if none), its
    /// index and the block whose hash draws it.
    function pendingDraw(uint256 packetId) external view returns (address claimer, uint256 index, uint256 blockNumber);

    /// @notice The city service's ticket-signing address.
    function ticketSigner() external view returns (address);

    /// @notice Number of packets that still hold money (neither exhausted nor refunded).
    function livePacketCount() external view returns (uint256);

    /// @notice Shares drawn for `claimer` while she was frozen, waiting for {releaseHeld}.
    function heldFor(address claimer) external view returns (uint256);

    /// @notice What the escrow owes in all: what live packets hold plus held shares. Its HCY
    /// balance is at least this; the rest is excess that {rescueExcess} may move.
    function owed(uint256[] calldata livePackets) external view returns (uint256);

    /// @notice The EIP-712 digest the link key signs to let `claimer` claim from `packetId`:
    /// `Claim(uint256 packetId,address claimer)` in the domain ("Hefei City Red Packet", "1",
    /// chain id, this contract).
    function claimDigest(uint256 packetId, address claimer) external view returns (bytes32);

    /// @notice The EIP-712 digest a claimer signs to let a relayer claim for her:
    /// `ClaimConsent(uint256 packetId,address claimer,uint256 deadline)`, same domain.
    function consentDigest(uint256 packetId, address claimer, uint256 deadline) external view returns (bytes32);

    /// @notice The EIP-712 digest the city service signs for a resident's claim:
    /// `ResidentTicket(uint256 packetId,address claimer,bytes32 nullifier,uint256 deadline)`, same
    /// domain (so bound to the chain and this contract).
    function ticketDigest(
        uint256 packetId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline
    ) external view returns (bytes32);
}
