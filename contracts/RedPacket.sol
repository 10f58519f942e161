// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Red packets (红包): an HCY escrow split in equal or random shares, claimed by a named friend, a
// list of friends, whoever holds a link, or verified residents holding a link (one share per
// identity); random shares are drawn from the hash of the claim's block; what is left goes back to
// the sender from the expiry on, pushed by anyone.

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";
import {IRedPacket} from "./interfaces/IRedPacket.sol";

/// @title Hefei City Red Packet
/// @notice See {IRedPacket}.
///
/// @dev **Random shares: design and threat model.** Goal: no claimer, and no single party other
/// than the chain's block producers, can know or choose the size of her share before her claim is
/// irrevocably committed, on a chain whose `prevrandao` is a constant (Besu QBFT, the local chain)
/// as much as on Ethereum or an L2.
/// - A random claim only *commits*: it records (claimer, share index, block number) and emits
///   {ShareCommitted}. The share is drawn later from `keccak256(blockhash(B), packetId, index)`
///   where B is the block that included the claim, by the double-mean rule on what was left then
///   (uniform in [1, 2M/N - 1] fen for M fen and N undrawn shares). The next claim of the packet,
///   a {settle} call or the refund draws and pays it; the last share is the rest and is paid at once.
/// - Why it holds: `blockhash(B)` does not exist when the claim is signed or sent, and it cannot
///   be read inside B, so neither the claimer nor a contract claiming for her can see the draw and
///   revert a small one (the claim returns 0 and moves no money). Waiting for a "good moment" buys
///   nothing: every future block hash is equally unknown. `prevrandao`, timestamps, the packet id
///   and the index are all known ahead and would be grindable, so they only label the draw.
/// - Who can still bias: the producer of block B (on QBFT the proposing validator, one of the
///   city's and its banks' nodes; on Ethereum the builder/proposer; on an L2 the sequencer) can
///   try several block contents to pick a hash. They already order and can censor every claim, so
///   this adds no new trusted party; the gain is capped by the double mean (at most one fair share
///   more, on packets of at most 200.00 yuan by default) and costs them re-building blocks. On the
///   local Hardhat chain (automine, one transaction per block) a claimer who can simulate the
///   whole block could predict its hash; it is a development chain.
/// - Late draws: the EVM keeps only the last 256 block hashes, so a committed share not drawn
///   within 256 blocks of its claim cannot be drawn from its hash any more. Its claimer could read
///   that hash from block B+1 on, so whatever a late share pays must never beat the draw she saw:
///   an equal share (M/N) as fallback let her watch a small draw (214 fen) and wait for 5,000.
///   A late share therefore pays its claimer the smallest share (MIN_SHARE, 1 fen, no draw is
///   lower), takes the equal share M/N out of the packet as before, and sends the rest of it
///   (M/N - 1) back to the sender ({ShareDrawnLate} + {PacketRefunded}), as every unclaimed fen
///   goes back. Why this split:
///   - the waiting claimer never gains: 1 fen is at most any draw, so watching and waiting loses;
///     re-drawing from a later hash would instead hand her a second roll after seeing a bad one;
///   - later claimers are left M - M/N, the pot the old fallback left and what an in-time draw
///     leaves on average, so an honest latecomer loses nothing by someone else's late share, and
///     a claimer who could claim all the other shares gains nothing either (the pot is the same);
///     leaving the difference in the packet would have given every later claimer a reason to let
///     others' shares go late;
///   - nobody can make a share late: every claim of the packet, any {settle} and the refund draw
///     it, and the claimer's own dApp draws it in the block after her claim.
///   A later claimer who reads the waiting hash and sees a large draw would rather it were late,
///   but she cannot make it so: its claimer's page has drawn it long before. The sender gets back
///   only money nobody drew in time. Money is kept exact: 1 + (M/N - 1) leaves, M - M/N stays.
/// - Two random claims of one packet in the same block: the second is refused with
///   {RedPacketDrawPending} and the dApp retries one block later (1-2 s on QBFT). Keeping one
///   waiting share per packet lets a claim rewrite one warm slot instead of a fresh one per claim.
/// - Equal shares (and 1:1 packets) involve no randomness and are paid in the claim itself.
/// - The claimer's address is NOT an input of the draw: anyone with a link can claim from fresh
///   addresses, so it would only let claimers grind addresses.
///
/// **Freeze.** While a packet's sender is frozen nothing leaves her packets: claims, draws and
/// {settle} revert with {RedPacketSenderFrozen}, the refund with `CityYuanAccountFrozen(sender)`
/// (or {RedPacketSenderFrozen} when a share still waits for its draw);
/// the money waits and, once she is unfrozen, claims go on until expiry. A frozen claimer cannot
/// claim (`CityYuanAccountFrozen(claimer)`). If she is frozen between her random claim and its
/// draw, the draw still happens (so the packet is not stuck for the others) and her share is held
/// for her in the escrow ({ShareHeld}); {releaseHeld} pays it after her unfreeze. Freezing the
/// escrow contract itself stops every claim and refund of every packet (the token refuses to move
/// its money) until it is unfrozen; nothing is lost, but it is a city-wide stop and must never be
/// used against one sender: freeze the sender instead.
///
/// **Money that could get stuck.**
/// - Paused token: every claim and refund reverts with `EnforcedPause()`; nothing is recorded, the
///   money waits, and after the unpause claims (before expiry) and refunds work again.
/// - Sender who lost their key: {refundExpired} is permissionless, so anyone (the city service,
///   a friend) pushes what is left back to the sender's address.
/// - Claimers that can never spend (zero, this escrow, the token) are refused.
/// - HCY sent straight to the escrow is not owed to anyone: the admin moves exactly the excess over
///   what is owed ({rescueExcess}) to an address named in the call.
///
/// **Storage and gas.** A claim reads and writes one slot (`Packet`) and reads the sender's slot
/// (`Origin`, for the freeze check). Link and Residents packets keep no per-address marker (the
/// link holder can sign for any address, so it stopped no one); a Residents packet marks the
/// identity's nullifier instead, a Friends packet the address, a 1:1 packet needs none. A random
/// packet has one `Pending` slot, made nonzero at creation so that every claim rewrites it instead
/// of paying for a fresh slot. The number of live packets (the only global the rescue needs)
/// changes when a packet is created and when it is emptied, not on every claim.
contract RedPacket is IRedPacket, EIP712, AccessControlDefaultAdminRules {
    using SafeERC20 for ICityYuan;

    // ───────────────────────────── constants ─────────────────────────────

    /// @notice The smallest share, in fen (0.01 yuan), as in WeChat.
    uint256 public constant MIN_SHARE = 1;
    /// @notice The longest greeting, in bytes (21 CJK characters in UTF-8, or 64 ASCII).
    uint256 public constant MAX_GREETING_BYTES = 64;
    /// @notice Hard ceiling of the admin's maximum duration, so expiries fit in 32 bits for decades.
    uint256 public constant MAX_DURATION_CEILING = 365 days;
    /// @notice Hard ceiling of the admin's maximum total: the escrow keeps amounts in 32 bits
    /// (42,949,672.95 yuan per packet).
    uint256 public constant MAX_TOTAL_CEILING = type(uint32).max;
    /// @notice Hard ceiling of the admin's maximum shares: share counts are kept in 8 bits.
    uint256 public constant MAX_SHARES_CEILING = type(uint8).max;
    /// @notice EIP-712 type of what the link key signs.
    bytes32 public constant CLAIM_TYPEHASH = keccak256("Claim(uint256 packetId,address claimer)");
    /// @notice EIP-712 type of a claimer's consent to a relayed claim.
    bytes32 public constant CONSENT_TYPEHASH = keccak256(
        "ClaimConsent(uint256 packetId,address claimer,uint256 deadline)"
    );
    /// @notice EIP-712 type of the city service's resident ticket.
    bytes32 public constant TICKET_TYPEHASH = keccak256(
        "ResidentTicket(uint256 packetId,address claimer,bytes32 nullifier,uint256 deadline)"
    );
    /// @dev How many past block hashes the EVM keeps (BLOCKHASH returns 0 beyond).
    uint256 private constant _BLOCKHASH_WINDOW = 256;

    // ───────────────────────────── storage ─────────────────────────────

    /// @dev Everything a claim reads and writes, in one slot (160 + 32 + 32 + 8 + 8 + 8 + 8 bits).
    /// `expiry == 0` means the packet does not exist; `remaining == 0 && sharesLeft > 0` means it
    /// was refunded (while shares are left, each still holds at least 1 fen). `remaining` includes a
    /// committed random share not drawn yet; `sharesLeft` counts shares nobody claimed yet.
    struct Packet {
        address gate; // the friend (Friend) or the link key (Link, Residents); zero for Friends
        uint32 expiry;
        uint32 remaining;
        uint8 sharesLeft;
        uint8 shares;
        Mode mode;
        Audience audience;
    }

    /// @dev Written once at creation; read by claims (the sender's freeze), refunds and views.
    struct Origin {
        address sender;
        uint32 total;
    }

    /// @dev The committed random share waiting for its draw. `primed` keeps the slot nonzero from
    /// creation on, so commits rewrite it (5,000 gas) instead of filling a zero slot (22,100).
    struct Pending {
        address claimer; // zero: nothing waits
        uint64 blockNumber;
        uint8 index;
        bool primed;
    }

    ICityYuan private immutable _token;

    // Limits, the packet counter and the live-packet counter share one slot, read (and the
    // counters written) by every create; claims touch it only when they empty a packet.
    uint32 private _maxTotal;
    uint8 private _maxShares;
    uint32 private _defaultDuration;
    uint32 private _maxDuration;
    uint64 private _packetCount;
    uint64 private _livePackets;

    address private _ticketSigner;
    uint256 private _heldTotal;

    mapping(uint256 packetId => Packet) private _packets;
    mapping(uint256 packetId => Origin) private _origins;
    mapping(uint256 packetId => Pending) private _pending;
    mapping(uint256 packetId => bytes32 root) private _friendRoots;
    mapping(uint256 packetId => mapping(address claimer => bool)) private _claimedBy;
    mapping(uint256 packetId => mapping(bytes32 nullifier => bool)) private _nullifiers;
    mapping(bytes32 consentDigest => bool) private _consentUsed;
    mapping(address claimer => uint256 amount) private _held;

    /// @param token_ The HCY token escrowed.
    /// @param admin Holds DEFAULT_ADMIN_ROLE: sets the limits and the ticket signer, rescues excess.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    /// @dev Starts with WeChat's defaults: 200.00 yuan, 100 shares, 24 hours; at most 7 days. No
    /// ticket signer: `Residents` packets need the admin to set one.
    constructor(
        ICityYuan token_,
        address admin,
        uint48 adminTransferDelay
    ) EIP712("Hefei City Red Packet", "1") AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        _token = token_;
        _setLimits(20_000, 100, 24 hours, 7 days);
    }

    // ───────────────────────────── create ─────────────────────────────

    /// @inheritdoc IRedPacket
    function create(PacketSpec calldata spec) external returns (uint256 packetId) {
        packetId = _create(spec);
    }

    /// @inheritdoc IRedPacket
    /// @dev The permit is tried, not required: anyone can copy it from the mempool and submit it
    /// first, which would make our call revert. If it fails and the allowance does not cover the
    /// amount, the permit's own error (e.g. `ERC2612ExpiredSignature`, `ERC2612InvalidSigner`) is
    /// re-thrown.
    function createWithPermit(
        PacketSpec calldata spec,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 packetId) {
        try _token.permit(msg.sender, address(this), spec.amount, deadline, v, r, s) {} catch (bytes memory reason) {
            if (_token.allowance(msg.sender, address(this)) < spec.amount) LowLevelCall.bubbleRevert(reason);
        }
        packetId = _create(spec);
    }

    // ───────────────────────────── claim ─────────────────────────────

    /// @inheritdoc IRedPacket
    function claim(uint256 packetId) external returns (uint256 amount) {
        Packet memory p = _openPacket(packetId, Audience.Friend);
        if (msg.sender != p.gate) revert RedPacketNotRecipient(packetId, msg.sender);
        // One share only: once claimed the packet is exhausted, so no per-claimer marker is needed.
        amount = _claimShare(packetId, p, msg.sender);
    }

    /// @inheritdoc IRedPacket
    function claimWithProof(uint256 packetId, bytes32[] calldata proof) external returns (uint256 amount) {
        Packet memory p = _openPacket(packetId, Audience.Friends);
        // OpenZeppelin StandardMerkleTree leaf of ["address"]: double hashed against second preimages.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(msg.sender))));
        if (!MerkleProof.verifyCalldata(proof, _friendRoots[packetId], leaf)) {
            revert RedPacketNotRecipient(packetId, msg.sender);
        }
        _markClaimed(packetId, msg.sender);
        amount = _claimShare(packetId, p, msg.sender);
    }

    /// @inheritdoc IRedPacket
    function claimWithSignature(uint256 packetId, bytes calldata signature) external returns (uint256 amount) {
        Packet memory p = _openPacket(packetId, Audience.Link);
        _checkLinkSignature(packetId, p.gate, msg.sender, signature);
        // No per-address marker (see the contract notes): the link key signs for any address.
        amount = _claimShare(packetId, p, msg.sender);
    }

    /// @inheritdoc IRedPacket
    /// @dev Without the claimer's consent anyone holding the link could spend her claim at the
    /// moment of their choosing. The consent digest is marked used, so one consent is one claim.
    function claimFor(
        address claimer,
        uint256 packetId,
        bytes calldata linkSignature,
        uint256 deadline,
        bytes calldata consent
    ) external returns (uint256 amount) {
        _checkClaimer(claimer);
        Packet memory p = _openPacket(packetId, Audience.Link);
        _checkLinkSignature(packetId, p.gate, claimer, linkSignature);
        if (block.timestamp > deadline) revert RedPacketConsentExpired(deadline);
        bytes32 digest = consentDigest(packetId, claimer, deadline);
        if (_consentUsed[digest] || !SignatureChecker.isValidSignatureNowCalldata(claimer, digest, consent)) {
            revert RedPacketInvalidConsent(packetId, claimer);
        }
        _consentUsed[digest] = true;
        amount = _claimShare(packetId, p, claimer);
    }

    /// @inheritdoc IRedPacket
    /// @dev The ticket binds chain and contract (EIP-712 domain), packet, claimer and the identity's
    /// nullifier, which the service derives per identity and packet: each identity claims once per
    /// packet whatever address it uses, and a ticket is worthless on any other packet, contract or
    /// chain. The link signature is still needed: the service never sees the link.
    function claimAsResident(
        uint256 packetId,
        bytes calldata linkSignature,
        bytes32 nullifier,
        uint256 deadline,
        bytes calldata ticket
    ) external returns (uint256 amount) {
        Packet memory p = _openPacket(packetId, Audience.Residents);
        _checkLinkSignature(packetId, p.gate, msg.sender, linkSignature);
        if (block.timestamp > deadline) revert RedPacketTicketExpired(deadline);
        (address signer, ECDSA.RecoverError error_, ) = ECDSA.tryRecoverCalldata(
            ticketDigest(packetId, msg.sender, nullifier, deadline),
            ticket
        );
        if (error_ != ECDSA.RecoverError.NoError || signer != _ticketSigner || signer == address(0)) {
            revert RedPacketInvalidTicket(packetId, msg.sender);
        }
        mapping(bytes32 nullifier => bool) storage used = _nullifiers[packetId];
        if (used[nullifier]) revert RedPacketIdentityAlreadyClaimed(packetId, nullifier);
        used[nullifier] = true;
        amount = _claimShare(packetId, p, msg.sender);
    }

    /// @inheritdoc IRedPacket
    function settle(uint256 packetId) external returns (uint256 amount) {
        Packet memory p = _packets[packetId];
        if (p.expiry == 0) revert RedPacketUnknownPacket(packetId);
        Pending memory pending = _pending[packetId];
        if (pending.claimer == address(0)) revert RedPacketNothingToSettle(packetId);
        _checkSenderNotFrozen(packetId);
        (uint256 drawn, uint256 remaining, uint256 returned) = _drawPending(packetId, p, pending);
        _packets[packetId].remaining = uint32(remaining);
        _returnLate(packetId, returned);
        amount = drawn;
    }

    /// @inheritdoc IRedPacket
    function releaseHeld(address claimer) external returns (uint256 amount) {
        amount = _held[claimer];
        if (amount == 0 || _token.isFrozen(claimer)) revert RedPacketNothingHeld(claimer);
        _held[claimer] = 0;
        _heldTotal -= amount;
        _token.safeTransfer(claimer, amount);
        emit HeldReleased(claimer, amount);
    }

    /// @dev One share per address on named-friends packets, whose list names addresses. Link
    /// packets keep no marker: whoever holds the link can sign its one-time key over any number of
    /// fresh addresses, so a marker would stop no one determined, and it would cost every honest
    /// claimer a fresh storage slot (22,100 gas). One share per person is a Residents packet's
    /// nullifier; the dApp never offers a second claim to an address that has one.
    function _markClaimed(uint256 packetId, address claimer) private {
        mapping(address claimer => bool) storage claimedBy = _claimedBy[packetId];
        if (claimedBy[claimer]) revert RedPacketAlreadyClaimed(packetId, claimer);
        claimedBy[claimer] = true;
    }

    // ───────────────────────────── refund ─────────────────────────────

    /// @inheritdoc IRedPacket
    /// @dev Expiry is exclusive for claims and inclusive for refunds: at `block.timestamp ==
    /// expiry` the packet can be refunded and no longer claimed. A random share still waiting for
    /// its draw is drawn and paid first (if late, what it left over is part of the refund). The money only ever goes to the sender; see the contract
    /// notes for a frozen sender and a paused token.
    function refundExpired(uint256 packetId) external returns (uint256 amount) {
        Packet memory p = _packets[packetId];
        if (p.expiry == 0) revert RedPacketUnknownPacket(packetId);
        if (p.remaining == 0) {
            if (p.sharesLeft != 0) revert RedPacketAlreadyRefunded(packetId);
            revert RedPacketNothingToRefund(packetId);
        }
        if (block.timestamp < p.expiry) revert RedPacketNotExpired(packetId, p.expiry);
        amount = p.remaining;
        Pending memory pending = _pending[packetId];
        if (pending.claimer != address(0)) {
            _checkSenderNotFrozen(packetId);
            uint256 returned;
            (, amount, returned) = _drawPending(packetId, p, pending);
            // A late share's rest goes back with the refund, in one transfer and one event.
            amount += returned;
        }
        // A drawn share leaves at least 1 fen for each later share, so `amount` is never 0 here.
        _packets[packetId].remaining = 0;
        _packetEmptied();
        address sender = _origins[packetId].sender;
        _token.safeTransfer(sender, amount);
        emit PacketRefunded(packetId, sender, msg.sender, amount);
    }

    // ───────────────────────────── admin ─────────────────────────────

    /// @inheritdoc IRedPacket
    function setLimits(
        uint256 maxTotal,
        uint256 maxShares,
        uint256 defaultDuration,
        uint256 maxDuration
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLimits(maxTotal, maxShares, defaultDuration, maxDuration);
    }

    /// @inheritdoc IRedPacket
    function setTicketSigner(address signer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _ticketSigner = signer;
        emit TicketSignerSet(msg.sender, signer);
    }

    /// @inheritdoc IRedPacket
    function rescueExcess(
        address to,
        uint256[] calldata livePackets
    ) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 amount) {
        _checkClaimer(to);
        uint256 owed_ = owed(livePackets);
        uint256 balance = _token.balanceOf(address(this));
        if (balance <= owed_) revert RedPacketNoExcess();
        amount = balance - owed_;
        _token.safeTransfer(to, amount);
        emit ExcessRescued(to, amount);
    }

    // ───────────────────────────── reads ─────────────────────────────

    /// @inheritdoc IRedPacket
    function token() external view returns (ICityYuan) {
        return _token;
    }

    /// @inheritdoc IRedPacket
    function limits()
        external
        view
        returns (uint256 maxTotal, uint256 maxShares, uint256 defaultDuration, uint256 maxDuration)
    {
        return (_maxTotal, _maxShares, _defaultDuration, _maxDuration);
    }

    /// @inheritdoc IRedPacket
    function packetCount() external view returns (uint256) {
        return _packetCount;
    }

    /// @inheritdoc IRedPacket
    function livePacketCount() external view returns (uint256) {
        return _livePackets;
    }

    /// @inheritdoc IRedPacket
    function ticketSigner() external view returns (address) {
        return _ticketSigner;
    }

    /// @inheritdoc IRedPacket
    function heldFor(address claimer) external view returns (uint256) {
        return _held[claimer];
    }

    /// @inheritdoc IRedPacket
    function owed(uint256[] calldata livePackets) public view returns (uint256 total) {
        uint256 previous;
        uint256 count = livePackets.length;
        for (uint256 i; i < count; ++i) {
            uint256 packetId = livePackets[i];
            uint256 remaining = _packets[packetId].remaining;
            if (packetId <= previous || remaining == 0) revert RedPacketLivePacketsMismatch(count, _livePackets);
            total += remaining;
            previous = packetId;
        }
        if (count != _livePackets) revert RedPacketLivePacketsMismatch(count, _livePackets);
        total += _heldTotal;
    }

    /// @inheritdoc IRedPacket
    function packet(uint256 packetId) external view returns (PacketView memory view_) {
        Packet memory p = _packets[packetId];
        if (p.expiry == 0) revert RedPacketUnknownPacket(packetId);
        Origin memory origin = _origins[packetId];
        view_ = PacketView({
            sender: origin.sender,
            total: origin.total,
            remaining: p.remaining,
            shares: p.shares,
            claimed: p.shares - p.sharesLeft,
            expiry: p.expiry,
            mode: p.mode,
            audience: p.audience,
            audienceKey: p.audience == Audience.Friends ? _friendRoots[packetId] : bytes32(uint256(uint160(p.gate))),
            refunded: p.remaining == 0 && p.sharesLeft != 0
        });
    }

    /// @inheritdoc IRedPacket
    function hasClaimed(uint256 packetId, address account) external view returns (bool) {
        Packet memory p = _packets[packetId];
        // A 1:1 packet keeps no marker: its friend claimed if its one share is gone (not refunded).
        if (p.audience == Audience.Friend && p.expiry != 0) {
            return account == p.gate && p.sharesLeft == 0;
        }
        return _claimedBy[packetId][account];
    }

    /// @inheritdoc IRedPacket
    function nullifierUsed(uint256 packetId, bytes32 nullifier) external view returns (bool) {
        return _nullifiers[packetId][nullifier];
    }

    /// @inheritdoc IRedPacket
    function pendingDraw(uint256 packetId) external view returns (address claimer, uint256 index, uint256 blockNumber) {
        Pending memory pending = _pending[packetId];
        return (pending.claimer, pending.index, pending.blockNumber);
    }

    /// @inheritdoc IRedPacket
    function claimDigest(uint256 packetId, address claimer) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, packetId, claimer)));
    }

    /// @inheritdoc IRedPacket
    function consentDigest(uint256 packetId, address claimer, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CONSENT_TYPEHASH, packetId, claimer, deadline)));
    }

    /// @inheritdoc IRedPacket
    function ticketDigest(
        uint256 packetId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TICKET_TYPEHASH, packetId, claimer, nullifier, deadline)));
    }

    // ───────────────────────────── internal ─────────────────────────────

    function _create(PacketSpec calldata spec) private returns (uint256 packetId) {
        (address gate, uint256 expiry) = _checkSpec(spec);
        unchecked {
            // 64 bits of ids and live packets: more packets than could ever be created.
            packetId = ++_packetCount;
            ++_livePackets;
        }
        // Casts are safe (see {_checkSpec}): amount <= _maxTotal <= 2**32 - 1, shares <= _maxShares
        // <= 255, and expiry = timestamp + at most 365 days stays below 2**32 until the year 2105.
        _packets[packetId] = Packet({
            gate: gate,
            expiry: uint32(expiry),
            remaining: uint32(spec.amount),
            sharesLeft: uint8(spec.shares),
            shares: uint8(spec.shares),
            mode: spec.mode,
            audience: spec.audience
        });
        _origins[packetId] = Origin({sender: msg.sender, total: uint32(spec.amount)});
        if (spec.audience == Audience.Friends) _friendRoots[packetId] = spec.audienceKey;
        // A random packet of several shares commits its claims: prime the slot they rewrite.
        if (spec.mode == Mode.Random && spec.shares > 1) _pending[packetId].primed = true;

        _token.safeTransferFrom(msg.sender, address(this), spec.amount);
        emit PacketCreated(
            packetId,
            msg.sender,
            spec.audienceKey,
            spec.audience,
            spec.mode,
            spec.amount,
            spec.shares,
            expiry,
            spec.greeting
        );
    }

    /// @dev Checks a spec against the limits; returns the gate address and the expiry.
    function _checkSpec(PacketSpec calldata spec) private view returns (address gate, uint256 expiry) {
        uint256 amount = spec.amount;
        uint256 shares = spec.shares;
        if (shares == 0) revert RedPacketZeroShares();
        if (shares > _maxShares) revert RedPacketTooManyShares(shares, _maxShares);
        if (amount < shares * MIN_SHARE) revert RedPacketSharesExceedAmount(shares, amount);
        if (amount > _maxTotal) revert RedPacketAmountTooLarge(amount, _maxTotal);
        uint256 duration = spec.duration == 0 ? _defaultDuration : spec.duration;
        if (duration > _maxDuration) revert RedPacketDurationTooLong(duration, _maxDuration);
        if (bytes(spec.greeting).length > MAX_GREETING_BYTES) {
            revert RedPacketGreetingTooLong(bytes(spec.greeting).length, MAX_GREETING_BYTES);
        }
        bytes32 key = spec.audienceKey;
        if (spec.audience == Audience.Friends) {
            if (key == bytes32(0)) revert RedPacketInvalidAudienceKey(spec.audience, key);
        } else {
            // An address, left-padded: the upper 96 bits must be clear and the address nonzero. A
            // friend that can never spend (this escrow, the token) would lock the packet.
            gate = address(uint160(uint256(key)));
            if (
                key == bytes32(0) ||
                uint256(key) >> 160 != 0 ||
                (spec.audience == Audience.Friend && (gate == address(this) || gate == address(_token)))
            ) revert RedPacketInvalidAudienceKey(spec.audience, key);
            if (spec.audience == Audience.Friend && shares != 1) revert RedPacketFriendPacketNotSingleShare(shares);
            if (spec.audience == Audience.Residents && _ticketSigner == address(0)) revert RedPacketNoTicketSigner();
        }
        expiry = block.timestamp + duration;
    }

    /// @dev Loads a packet that can still be claimed through the entry point for `audience`.
    function _openPacket(uint256 packetId, Audience audience) private view returns (Packet memory p) {
        p = _packets[packetId];
        if (p.expiry == 0) revert RedPacketUnknownPacket(packetId);
        if (p.sharesLeft == 0) revert RedPacketExhausted(packetId);
        if (p.remaining == 0) revert RedPacketAlreadyRefunded(packetId);
        if (block.timestamp >= p.expiry) revert RedPacketExpired(packetId, p.expiry);
        if (p.audience != audience) revert RedPacketWrongAudience(packetId, p.audience);
    }

    function _checkLinkSignature(
        uint256 packetId,
        address linkKey,
        address claimer,
        bytes calldata signature
    ) private view {
        (address signer, ECDSA.RecoverError error_, ) = ECDSA.tryRecoverCalldata(
            claimDigest(packetId, claimer),
            signature
        );
        if (error_ != ECDSA.RecoverError.NoError || signer != linkKey) {
            revert RedPacketInvalidClaimSignature(packetId, claimer);
        }
    }

    /// @dev Refuses addresses that could never spend what they receive.
    function _checkClaimer(address claimer) private view {
        if (claimer == address(0) || claimer == address(this) || claimer == address(_token)) {
            revert RedPacketInvalidClaimer(claimer);
        }
    }

    function _checkSenderNotFrozen(uint256 packetId) private view {
        address sender = _origins[packetId].sender;
        if (_token.isFrozen(sender)) revert RedPacketSenderFrozen(packetId, sender);
    }

    /// @dev Takes the next share of the open packet `p` for `claimer`: an equal share or the last
    /// share is paid now; a random share is committed (after drawing the one waiting, if any) and
    /// 0 returned.
    function _claimShare(uint256 packetId, Packet memory p, address claimer) private returns (uint256 amount) {
        _checkSenderNotFrozen(packetId);
        uint256 left = p.sharesLeft;
        uint256 remaining = p.remaining;
        uint256 index;
        unchecked {
            index = p.shares - left;
        }
        if (p.mode == Mode.Random && p.shares > 1) {
            Pending memory pending = _pending[packetId];
            if (pending.claimer != address(0)) {
                uint256 returned;
                (, remaining, returned) = _drawPending(packetId, p, pending);
                _returnLate(packetId, returned);
            }
            if (left > 1) {
                // A frozen claimer is refused now, as an equal claim would be by the token.
                if (_token.isFrozen(claimer)) revert ICityYuan.CityYuanAccountFrozen(claimer);
                _pending[packetId] = Pending({
                    claimer: claimer,
                    blockNumber: uint64(block.number),
                    index: uint8(index),
                    primed: true
                });
                Packet storage committed = _packets[packetId];
                committed.remaining = uint32(remaining);
                unchecked {
                    committed.sharesLeft = uint8(left - 1);
                }
                emit ShareCommitted(packetId, claimer, index, block.number);
                return 0;
            }
        }
        unchecked {
            // The last share takes the rest; an equal share leaves at least 1 fen per share left.
            amount = left == 1 ? remaining : remaining / left;
            Packet storage stored = _packets[packetId];
            stored.remaining = uint32(remaining - amount);
            stored.sharesLeft = uint8(left - 1);
        }
        if (left == 1) _packetEmptied();
        _token.safeTransfer(claimer, amount);
        emit PacketClaimed(packetId, claimer, amount, index);
    }

    /// @dev Draws the waiting share of `p` (whose `remaining` includes it) and pays it; returns it,
    /// what the packet keeps, and what goes back to the sender because the share is late (the
    /// caller sends it, see {_returnLate}). The caller writes `remaining` back. Reverts while its
    /// block is current.
    function _drawPending(
        uint256 packetId,
        Packet memory p,
        Pending memory pending
    ) private returns (uint256 amount, uint256 remaining, uint256 returned) {
        uint256 blockNumber = pending.blockNumber;
        if (blockNumber >= block.number) revert RedPacketDrawPending(packetId, blockNumber);
        remaining = p.remaining;
        // Shares not drawn yet: those nobody claimed plus the waiting one. At least 2, since the
        // last share is never committed, so M >= N >= 2 and the draw leaves 1 fen per later share.
        uint256 undrawn = uint256(p.sharesLeft) + 1;
        bytes32 hash = blockhash(blockNumber);
        unchecked {
            if (hash == bytes32(0)) {
                // Older than the 256 hashes the EVM keeps: late (see the contract notes). The packet
                // gives up the equal share M/N >= 1: 1 fen to the claimer, the rest to the sender.
                uint256 equal = remaining / undrawn;
                amount = MIN_SHARE;
                returned = equal - MIN_SHARE;
                remaining -= equal;
            } else {
                uint256 span = (2 * remaining) / undrawn - 1;
                amount = 1 + (uint256(keccak256(abi.encode(hash, packetId, pending.index))) % span);
                remaining -= amount;
            }
        }
        _pending[packetId] = Pending({claimer: address(0), blockNumber: 0, index: 0, primed: true});
        address claimer = pending.claimer;
        if (_token.isFrozen(claimer)) {
            // Frozen since her claim: the share is hers, held here so the packet goes on.
            _held[claimer] += amount;
            _heldTotal += amount;
            emit ShareHeld(packetId, claimer, amount, pending.index);
        } else {
            _token.safeTransfer(claimer, amount);
            emit PacketClaimed(packetId, claimer, amount, pending.index);
        }
        if (hash == bytes32(0)) emit ShareDrawnLate(packetId, claimer, pending.index, returned);
    }

    /// @dev Sends what a late share left over (see {_drawPending}) back to the packet's sender.
    function _returnLate(uint256 packetId, uint256 returned) private {
        if (returned == 0) return;
        address sender = _origins[packetId].sender;
        _token.safeTransfer(sender, returned);
        emit PacketRefunded(packetId, sender, msg.sender, returned);
    }

    function _packetEmptied() private {
        unchecked {
            --_livePackets;
        }
    }

    function _setLimits(uint256 maxTotal, uint256 maxShares, uint256 defaultDuration, uint256 maxDuration) private {
        if (
            maxTotal == 0 ||
            maxTotal > MAX_TOTAL_CEILING ||
            maxShares == 0 ||
            maxShares > MAX_SHARES_CEILING ||
            defaultDuration == 0 ||
            defaultDuration > maxDuration ||
            maxDuration > MAX_DURATION_CEILING
        ) revert RedPacketInvalidLimits(maxTotal, maxShares, defaultDuration, maxDuration);
        _maxTotal = uint32(maxTotal);
        _maxShares = uint8(maxShares);
        _defaultDuration = uint32(defaultDuration);
        _maxDuration = uint32(maxDuration);
        emit LimitsSet(msg.sender, maxTotal, maxShares, defaultDuration, maxDuration);
    }
}
