// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Red packets (红包): an HCY escrow split in equal or random shares, claimed once per address by a
// named friend, a list of friends, or whoever holds a link; what is left goes back to the sender
// from the expiry on, pushed by anyone.

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";
import {IRedPacket} from "./interfaces/IRedPacket.sol";

/// @title Hefei City Red Packet
/// @notice See {IRedPacket}.
///
/// @dev **Random shares: threat model.** A random share is drawn when its claim executes, from
/// `keccak256(block.prevrandao, packetId, index)` where `index` is the 0-based number of the share.
/// The double-mean rule bounds every draw to [1, 2M/N - 1] fen (M fen and N shares left), so
/// whatever anyone does, a share is at most twice the fair share of what is left, and the sum of
/// all shares is exactly the total: bias moves money between the claimers of one packet, it never
/// creates or loses any.
/// - The claimer's address is deliberately NOT an input. It is chosen by the claimer (anyone with a
///   link can claim from fresh addresses), so it adds no entropy against the claimer and would
///   let them grind addresses offline for the biggest draw.
/// - Ethereum proof of stake: `prevrandao` of block B is the RANDAO mix after block B-1, public as
///   soon as B-1 is (about 12 s ahead). A claimer can therefore compute the draw of the next
///   share for the next block and submit only when it is big, or claim through a contract that
///   reverts when the draw is small. Cost: waiting (others may take the share meanwhile) or the
///   gas of a reverted claim (~30,000 gas) per attempt. Gain: at most 2M/N - 1 fen instead of the
///   mean M/N, i.e. at most one fair share more, on a packet of at most 200.00 yuan by default.
///   A proposer can also bias the mix of its own slot only by not proposing (giving up the block
///   reward and fees, far more than a red packet).
/// - OP-stack L2s: `prevrandao` follows the L1 origin and is known before the L2 block; the
///   sequencer orders claims. Same bound as above.
/// - Consortium chains (Besu QBFT/IBFT): the mix hash is a constant, so every draw is a public
///   function of (packet, index); the only unknown is the order of claims, which the validators
///   (the city and its banks) decide. A resident can wait for a good index, as on L1.
/// What we rule out is Mask's weakness: there, the draw uses inputs fixed before the claim
/// (stored seed, nonce, timestamp), computable by anyone at any time. Removing the residual
/// bias needs entropy that exists only after the claim is committed (a second transaction per
/// claim, or a VRF / randomness beacon): a two-step claim would double the gas and the taps for a
/// bias capped at one fair share. If the city runs a randomness beacon, replace {_draw}.
///
/// **Money that could get stuck.**
/// - Frozen sender: the token refuses to pay a frozen account, so {refundExpired} reverts with
///   `CityYuanAccountFrozen(sender)` and the money waits in escrow, still owed to the sender; it
///   never goes to anyone else. Once the compliance officer unfreezes the sender, anyone pushes
///   the refund. Claims keep working until expiry: the money already left the sender's account.
/// - Paused token: every claim and refund reverts with `EnforcedPause()`; nothing is recorded, the
///   money waits, and after the unpause claims (before expiry) and refunds work again.
/// - Sender who lost their key: {refundExpired} is permissionless, so anyone (the city service,
///   a friend) pushes what is left back to the sender's address. Whether that address is still
///   usable is outside this contract.
/// - Frozen claimer: the claim reverts with `CityYuanAccountFrozen(claimer)`, nothing is recorded
///   and the share stays for other claimers or the refund.
///
/// **Storage.** A claim reads and writes one slot (`Packet`); the sender and total, which only
/// refunds and views need, sit in a second slot written once. A 1:1 packet needs no per-claimer
/// marker: its single share is gone once claimed. Other packets record each claimer's amount,
/// which is both the once-per-address check and the "how much did I get" view.
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

    // ───────────────────────────── storage ─────────────────────────────

    /// @dev Everything a claim reads and writes, in one slot (160 + 32 + 32 + 8 + 8 + 8 + 8 bits).
    /// `expiry == 0` means the packet does not exist; `remaining == 0 && sharesLeft > 0` means it
    /// was refunded (while shares are left, each still holds at least 1 fen).
    struct Packet {
        address gate; // the friend (Friend) or the link key (Link); zero for Friends
        uint32 expiry;
        uint32 remaining;
        uint8 sharesLeft;
        uint8 shares;
        Mode mode;
        Audience audience;
    }

    /// @dev Written once at creation; read by refunds and views.
    struct Origin {
        address sender;
        uint32 total;
    }

    ICityYuan private immutable _token;

    // Limits and the packet counter share one slot, read (and the counter written) by every create.
    uint32 private _maxTotal;
    uint8 private _maxShares;
    uint32 private _defaultDuration;
    uint32 private _maxDuration;
    uint64 private _packetCount;

    mapping(uint256 packetId => Packet) private _packets;
    mapping(uint256 packetId => Origin) private _origins;
    mapping(uint256 packetId => bytes32 root) private _friendRoots;
    mapping(uint256 packetId => mapping(address claimer => uint256 amount)) private _claims;

    /// @param token_ The HCY token escrowed.
    /// @param admin Holds DEFAULT_ADMIN_ROLE: sets the limits.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    /// @dev Starts with WeChat's defaults: 200.00 yuan, 100 shares, 24 hours; at most 7 days.
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
        uint256 index;
        (amount, index) = _takeShare(packetId, p);
        _pay(packetId, msg.sender, amount, index);
    }

    /// @inheritdoc IRedPacket
    function claimWithProof(uint256 packetId, bytes32[] calldata proof) external returns (uint256 amount) {
        Packet memory p = _openPacket(packetId, Audience.Friends);
        // OpenZeppelin StandardMerkleTree leaf of ["address"]: double hashed against second preimages.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(msg.sender))));
        if (!MerkleProof.verifyCalldata(proof, _friendRoots[packetId], leaf)) {
            revert RedPacketNotRecipient(packetId, msg.sender);
        }
        amount = _claimOnce(packetId, p, msg.sender);
    }

    /// @inheritdoc IRedPacket
    function claimWithSignature(uint256 packetId, bytes calldata signature) external returns (uint256 amount) {
        amount = _claimByLink(packetId, msg.sender, signature);
    }

    /// @inheritdoc IRedPacket
    function claimFor(address claimer, uint256 packetId, bytes calldata signature) external returns (uint256 amount) {
        amount = _claimByLink(packetId, claimer, signature);
    }

    // ───────────────────────────── refund ─────────────────────────────

    /// @inheritdoc IRedPacket
    /// @dev Expiry is exclusive for claims and inclusive for refunds: at `block.timestamp ==
    /// expiry` the packet can be refunded and no longer claimed. The money only ever goes to the
    /// sender; see the contract notes for a frozen sender and a paused token.
    function refundExpired(uint256 packetId) external returns (uint256 amount) {
        Packet storage p = _packets[packetId];
        uint256 expiry = p.expiry;
        if (expiry == 0) revert RedPacketUnknownPacket(packetId);
        amount = p.remaining;
        if (amount == 0) {
            if (p.sharesLeft != 0) revert RedPacketAlreadyRefunded(packetId);
            revert RedPacketNothingToRefund(packetId);
        }
        if (block.timestamp < expiry) revert RedPacketNotExpired(packetId, expiry);
        p.remaining = 0;
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
    function claimedAmount(uint256 packetId, address account) public view returns (uint256) {
        Packet memory p = _packets[packetId];
        // A 1:1 packet keeps no marker: its friend got the whole total if its one share is gone.
        if (p.audience == Audience.Friend && p.expiry != 0) {
            return account == p.gate && p.sharesLeft == 0 ? _origins[packetId].total : 0;
        }
        return _claims[packetId][account];
    }

    /// @inheritdoc IRedPacket
    function hasClaimed(uint256 packetId, address account) external view returns (bool) {
        return claimedAmount(packetId, account) != 0;
    }

    /// @inheritdoc IRedPacket
    function claimDigest(uint256 packetId, address claimer) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, packetId, claimer)));
    }

    // ───────────────────────────── internal ─────────────────────────────

    function _create(PacketSpec calldata spec) private returns (uint256 packetId) {
        (address gate, uint256 expiry) = _checkSpec(spec);
        unchecked {
            // 64 bits of ids: more packets than could ever be created.
            packetId = ++_packetCount;
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
            // An address, left-padded: the upper 96 bits must be clear and the address nonzero.
            if (key == bytes32(0) || uint256(key) >> 160 != 0) revert RedPacketInvalidAudienceKey(spec.audience, key);
            gate = address(uint160(uint256(key)));
            if (spec.audience == Audience.Friend && shares != 1) revert RedPacketFriendPacketNotSingleShare(shares);
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

    function _claimByLink(uint256 packetId, address claimer, bytes calldata signature) private returns (uint256) {
        Packet memory p = _openPacket(packetId, Audience.Link);
        (address signer, ECDSA.RecoverError error_, ) = ECDSA.tryRecoverCalldata(
            claimDigest(packetId, claimer),
            signature
        );
        if (error_ != ECDSA.RecoverError.NoError || signer != p.gate) {
            revert RedPacketInvalidClaimSignature(packetId, claimer);
        }
        return _claimOnce(packetId, p, claimer);
    }

    /// @dev Takes a share for `claimer`, records it (refusing a second claim by the same address)
    /// and pays it.
    function _claimOnce(uint256 packetId, Packet memory p, address claimer) private returns (uint256 amount) {
        mapping(address claimer => uint256 amount) storage claims = _claims[packetId];
        if (claims[claimer] != 0) revert RedPacketAlreadyClaimed(packetId, claimer);
        uint256 index;
        (amount, index) = _takeShare(packetId, p);
        claims[claimer] = amount;
        _pay(packetId, claimer, amount, index);
    }

    /// @dev Draws the next share and takes it out of the packet. `p` is open (see {_openPacket}).
    function _takeShare(uint256 packetId, Packet memory p) private returns (uint256 amount, uint256 index) {
        uint256 left = p.sharesLeft;
        uint256 remaining = p.remaining;
        unchecked {
            index = p.shares - left;
            if (left == 1) {
                amount = remaining;
            } else if (p.mode == Mode.Equal) {
                amount = remaining / left;
            } else {
                amount = _draw(packetId, index, remaining, left);
            }
            // amount <= remaining - (left - 1): every share still left keeps at least 1 fen.
            Packet storage stored = _packets[packetId];
            stored.remaining = uint32(remaining - amount);
            stored.sharesLeft = uint8(left - 1);
        }
    }

    function _pay(uint256 packetId, address claimer, uint256 amount, uint256 index) private {
        _token.safeTransfer(claimer, amount);
        emit PacketClaimed(packetId, claimer, amount, index);
    }

    /// @dev Double mean: uniform in [1, 2M/N - 1] fen for M fen and N >= 2 shares left. Since every
    /// share left holds at least 1 fen (M >= N), 2M/N >= 2 so the range is not empty, and
    /// M - draw >= M - 2M/N + 1 >= N - 1 keeps at least 1 fen for each of the other shares.
    /// See the contract notes for who can bias `block.prevrandao` and at what cost.
    function _draw(uint256 packetId, uint256 index, uint256 remaining, uint256 left) private view returns (uint256) {
        uint256 span = (2 * remaining) / left - 1;
        uint256 entropy = uint256(keccak256(abi.encode(block.prevrandao, packetId, index)));
        return 1 + (entropy % span);
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
