// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";
import {IVouchers} from "./interfaces/IVouchers.sol";
import {PaymentIds} from "./libraries/PaymentIds.sol";
import {Permits} from "./libraries/Permits.sol";

/// @title Vouchers: the escrow of promotion and city consumption voucher (消费券) budgets
/// @notice See {IVouchers}. Each campaign's budget (`totalVouchers * maxDiscount`) is escrowed in
/// HCY at creation; a redemption pays the merchant the full price in one transaction (the
/// resident's part straight from the resident, the discount from the escrow) and emits a receipt
/// shaped like CityYuan's `PaymentMade`; after the window (or a guardian's stop) the rest goes back
/// to the sponsor. The escrow's balance always equals what it owes (the sum of campaigns'
/// `remainingBudget`, kept in `totalOwed`) plus HCY sent to it directly, which only the admin can
/// move out (`rescueExcess`), never a fen of what is owed.
///
/// Frozen accounts: a frozen resident neither claims nor redeems (checked here with
/// `ICityYuan.isFrozen`, because a 100 %-off voucher moves none of her own money and would slip
/// past the token's freeze). A voucher sale is kept here, one storage word per voucher, and the
/// merchant refunds it in full with {refundSale}: the resident gets back what she paid and the
/// campaign its discount, so an undone sale costs the budget nothing (see {IVouchers-refundSale}).
/// The word is written with a placeholder when the voucher is claimed, so the checkout overwrites
/// a word instead of creating one (about 17,000 gas moved from the checkout to the claim). This
/// contract is registered with `CityYuan.setCityEscrow`, which keeps compliance from freezing it.
///
/// Listing: campaigns are also indexed by sponsor and, for holders of the city sponsor role, in the
/// city's own list ({cityCampaigns}), which only the city can add to: a shop opening hundreds of
/// campaigns fills its own list and the id scan, never the city's, so the dApp finds the city's
/// campaigns in a fixed number of reads whatever else exists.
///
/// @dev Collusion, what stops it and what remains.
/// A voucher is a transfer of budget to whoever can both hold a voucher and be paid as a merchant.
/// A resident paying "themselves" through a merchant address they control would turn each voucher
/// straight into cash. What stops or bounds it here:
/// - the merchant must be registered and ACTIVE in the city's MerchantRegistry at the moment of
///   redemption, so only addresses the city vetted can be paid, and the city can cut one off at
///   once (deactivate) without touching campaigns;
/// - the payer cannot be the merchant address itself (`VouchersSelfPayment`);
/// - each address can claim at most `perResidentLimit` vouchers per campaign, and each voucher is
///   redeemed once, for at most `maxDiscount`, only at or above `minSpend`: a colluding pair takes
///   at most `perResidentLimit * maxDiscount` per resident address, and must move `minSpend` through
///   the merchant (of which the resident pays `minSpend - discount`) for each voucher;
/// - a merchant sponsoring its own campaign can only make it usable at its own shop.
/// What remains possible:
/// - sybil residents on an OPEN campaign: one person with many addresses claims many vouchers and
///   redeems them at a merchant they own or collude with, draining the supply at `maxDiscount` per
///   voucher. Campaigns with an eligibility list (Merkle root of verified residents, leaf bound to
///   the sponsor and a salt the sponsor chose) stop that, and so do residents-only campaigns: each
///   claim carries the city service's resident ticket, whose nullifier stands for one verified
///   resident in that campaign (the service derives it from her bank identity; it reveals nothing
///   on chain), and `perResidentLimit` counts per nullifier across all her addresses. A ticket is
///   bound to chain and contract (EIP-712 domain), campaign, claimer and nullifier, and expires in
///   minutes. Open campaigns should be small or short, or restricted to merchant lists the city
///   trusts;
/// - fake sales: a registered merchant and a real resident agree on a price that was never a sale
///   (or the merchant refunds the resident's part off-chain); the chain cannot tell.
/// What the city can watch for (all from events, see {IVouchers}):
/// - `VoucherRedeemed` grouped by payee: a merchant receiving a large share of a campaign's
///   redemptions, redemptions of exactly `minSpend`, or many distinct payers redeeming minutes after
///   their `VoucherClaimed`;
/// - `VoucherSaleRefunded` soon after `VoucherRedeemed` between the same pair, again and again;
/// - payers that were funded just before claiming (from CityYuan `Transfer`s) from one source, or
///   that send the money on to one address afterwards (the sybil pattern);
/// - redemptions followed by a `Transfer` from the merchant back to the payer (an off-chain refund).
/// A guardian can `stop` a campaign at once (its budget goes back to the sponsor only) and the
/// registrar can deactivate a merchant; both cut further redemptions immediately.
contract Vouchers is IVouchers, EIP712, AccessControlDefaultAdminRules {
    using SafeERC20 for IERC20;

    // ───────────────────────────── constants ─────────────────────────────

    /// @inheritdoc IVouchers
    bytes32 public constant CITY_SPONSOR_ROLE = keccak256("CITY_SPONSOR_ROLE");
    /// @inheritdoc IVouchers
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @inheritdoc IVouchers
    /// @dev Listed merchants are each checked against the registry at creation; 32 keeps creation
    /// well inside a block and the list readable in a campaign card. Wider campaigns use categories.
    uint256 public constant MAX_MERCHANTS = 32;
    /// @dev Percentages are in basis points: 10000 = 100 %.
    uint256 private constant _BPS = 10_000;
    /// @dev Most campaign ids one `activeCampaigns` call looks at, so an `eth_call` stays bounded.
    uint256 private constant _MAX_SCAN = 500;
    /// @dev A claimed voucher's sale word before it is used: nonzero, so the checkout's write
    /// changes a word instead of creating one. A used voucher's word is its sale's hash, which is
    /// never 1 (a 2^-256 chance).
    bytes32 private constant _UNUSED = bytes32(uint256(1));
    /// @notice EIP-712 type of the city service's resident ticket.
    bytes32 public constant TICKET_TYPEHASH = keccak256(
        "ResidentTicket(uint256 campaignId,address claimer,bytes32 nullifier,uint256 deadline)"
    );

    // ───────────────────────────── storage ─────────────────────────────

    /// @dev What a redemption checks, in one slot (5 + 5 + 8 + 8 + 4 + 1 + 1 = 32 bytes), read
    /// once into memory. `endsAt` is never zero for a created campaign (it must lie in the future),
    /// so it doubles as the existence flag.
    struct Rules {
        uint40 startsAt;
        uint40 endsAt;
        uint64 minSpend;
        uint64 discount;
        uint32 categoryMask;
        DiscountKind kind;
        bool merchantList;
    }

    /// @dev What a redemption and a claim spend, in one slot (12 + 8 + 4 + 4 + 1 + 1 + 1 + 1 = 32
    /// bytes). uint96 holds any budget: at most (2^32 - 1) * (2^64 - 1) < 2^96.
    struct Supply {
        uint96 remainingBudget;
        uint64 maxDiscount;
        uint32 totalVouchers;
        uint32 claimed;
        uint8 perResidentLimit;
        bool residentsOnly;
        bool stopped;
        bool settled;
    }

    /// @dev Laid out so a redemption reads two slots and writes one: slot 0 the rules, slot 1 the
    /// budget. Sponsor and root are read only by claim, stop and reclaim.
    struct Campaign {
        Rules rules; // slot 0
        Supply supply; // slot 1
        address sponsor; // slot 2, with `budget`
        uint96 budget;
        bytes32 eligibleRoot; // slot 3
        bytes32 listSalt; // slot 4, read only when there is a list
    }

    /// @dev One resident's vouchers in one campaign (one slot).
    struct Holding {
        uint16 claimed;
        uint16 redeemed;
    }

    ICityYuan private immutable _token;
    IMerchantRegistry private immutable _registry;

    uint256 private _campaignCount;
    /// @dev Sum of every campaign's `remainingBudget`: what the escrow owes.
    uint256 private _totalOwed;
    mapping(uint256 campaignId => Campaign) private _campaigns;
    mapping(uint256 campaignId => address[]) private _merchants;
    mapping(uint256 campaignId => mapping(address merchant => bool)) private _accepts;
    mapping(uint256 campaignId => mapping(address resident => Holding)) private _holdings;
    mapping(address resident => uint256[]) private _campaignsOf;
    /// @dev Vouchers claimed per verified resident (ticket nullifier) in residents-only campaigns.
    mapping(uint256 campaignId => mapping(bytes32 nullifier => uint256)) private _identityClaims;
    address private _ticketSigner;
    /// @dev Campaigns created by holders of CITY_SPONSOR_ROLE, in creation order.
    uint256[] private _cityCampaignIds;
    mapping(address sponsor => uint256[]) private _sponsorCampaignIds;
    /// @dev Per claimed voucher (the resident's i-th in the campaign): {_UNUSED} while unused, then
    /// `_saleHash(merchant, orderRef, price)`. Vouchers 0..redeemed-1 are used, redeemed..claimed-1
    /// unused.
    mapping(uint256 campaignId => mapping(address resident => mapping(uint256 index => bytes32))) private _sales;

    /// @param token_ The HCY token campaigns are funded and paid in.
    /// @param registry_ The merchant registry eligibility is checked against.
    /// @param admin The default admin (grants the sponsor and guardian roles).
    /// @param adminTransferDelay Delay of a two-step admin transfer, in seconds.
    constructor(
        ICityYuan token_,
        IMerchantRegistry registry_,
        address admin,
        uint48 adminTransferDelay
    ) EIP712("Hefei City Vouchers", "1") AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        if (address(token_) == address(0) || address(registry_) == address(0)) revert VouchersZeroAddress();
        _token = token_;
        _registry = registry_;
    }

    // ───────────────────────────── sponsors ─────────────────────────────

    /// @inheritdoc IVouchers
    function createCampaign(CampaignTerms calldata terms) external returns (uint256 campaignId) {
        uint256 budget;
        (campaignId, budget) = _create(terms);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), budget);
    }

    /// @inheritdoc IVouchers
    function createCampaignWithPermit(
        CampaignTerms calldata terms,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 campaignId) {
        uint256 budget;
        (campaignId, budget) = _create(terms);
        Permits.use(_token, msg.sender, budget, deadline, v, r, s);
        IERC20(address(_token)).safeTransferFrom(msg.sender, address(this), budget);
    }

    /// @inheritdoc IVouchers
    function reclaim(uint256 campaignId) external returns (uint256 amount) {
        Campaign storage c = _existing(campaignId);
        address sponsor = c.sponsor;
        if (msg.sender != sponsor) revert VouchersNotSponsor(campaignId, msg.sender);
        if (c.supply.settled) revert VouchersAlreadySettled(campaignId);
        if (!c.supply.stopped && block.timestamp < c.rules.endsAt) {
            revert VouchersReclaimTooEarly(campaignId, c.rules.endsAt, block.timestamp);
        }
        amount = c.supply.remainingBudget;
        c.supply.remainingBudget = 0;
        c.supply.settled = true;
        _totalOwed -= amount;
        emit BudgetReclaimed(campaignId, sponsor, amount);
        if (amount != 0) IERC20(address(_token)).safeTransfer(sponsor, amount);
    }

    /// @inheritdoc IVouchers
    function stop(uint256 campaignId, string calldata reason) external onlyRole(GUARDIAN_ROLE) {
        Campaign storage c = _existing(campaignId);
        if (c.supply.settled) revert VouchersAlreadySettled(campaignId);
        if (c.supply.stopped) revert VouchersCampaignStopped(campaignId);
        address sponsor = c.sponsor;
        uint256 refunded = c.supply.remainingBudget;
        c.supply.stopped = true;
        c.supply.remainingBudget = 0;
        c.supply.settled = true;
        // A stop must never be blocked by the sponsor (a frozen sponsor is a likely reason to stop):
        // if the payment back fails, the campaign stays stopped and the budget stays escrowed for the
        // sponsor to `reclaim` once it can receive again.
        if (refunded != 0 && !IERC20(address(_token)).trySafeTransfer(sponsor, refunded)) {
            c.supply.remainingBudget = uint96(refunded);
            c.supply.settled = false;
            refunded = 0;
        }
        _totalOwed -= refunded;
        emit CampaignStopped(campaignId, msg.sender, sponsor, refunded, reason);
    }

    /// @inheritdoc IVouchers
    function rescueExcess(address to) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 amount) {
        if (to == address(0)) revert VouchersZeroAddress();
        amount = excess();
        if (amount == 0) revert VouchersNoExcess();
        emit ExcessRescued(to, amount);
        IERC20(address(_token)).safeTransfer(to, amount);
    }

    // ───────────────────────────── residents ─────────────────────────────

    /// @inheritdoc IVouchers
    function claim(uint256 campaignId, bytes32[] calldata proof) external {
        Campaign storage c = _claimable(campaignId, proof, msg.sender);
        if (c.supply.residentsOnly) revert VouchersTicketRequired(campaignId);
        _recordClaim(campaignId, c, msg.sender);
    }

    /// @inheritdoc IVouchers
    function claimAsResident(
        uint256 campaignId,
        bytes32[] calldata proof,
        bytes32 nullifier,
        uint256 deadline,
        bytes calldata ticket
    ) external {
        Campaign storage c = _claimable(campaignId, proof, msg.sender);
        if (!c.supply.residentsOnly) revert VouchersTicketNotNeeded(campaignId);
        if (block.timestamp > deadline) revert VouchersTicketExpired(deadline);
        (address signer, ECDSA.RecoverError error_, ) = ECDSA.tryRecoverCalldata(
            ticketDigest(campaignId, msg.sender, nullifier, deadline),
            ticket
        );
        if (error_ != ECDSA.RecoverError.NoError || signer != _ticketSigner || signer == address(0)) {
            revert VouchersInvalidTicket(campaignId, msg.sender);
        }
        mapping(bytes32 nullifier => uint256) storage byIdentity = _identityClaims[campaignId];
        uint256 limit = c.supply.perResidentLimit;
        uint256 identityHeld = byIdentity[nullifier];
        if (identityHeld >= limit) revert VouchersIdentityLimitReached(campaignId, nullifier, limit);
        byIdentity[nullifier] = identityHeld + 1;
        _recordClaim(campaignId, c, msg.sender);
    }

    /// @inheritdoc IVouchers
    function setTicketSigner(address signer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _ticketSigner = signer;
        emit TicketSignerSet(msg.sender, signer);
    }

    /// @inheritdoc IVouchers
    function redeem(
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef
    ) external returns (bytes32 paymentId, uint256 discount) {
        discount = _spendVoucher(campaignId, merchant, price, orderRef);
        paymentId = _pay(campaignId, merchant, price, orderRef, discount);
    }

    /// @inheritdoc IVouchers
    function redeemWithPermit(
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId, uint256 discount) {
        discount = _spendVoucher(campaignId, merchant, price, orderRef);
        if (price != discount) Permits.use(_token, msg.sender, price - discount, deadline, v, r, s);
        paymentId = _pay(campaignId, merchant, price, orderRef, discount);
    }

    /// @inheritdoc IVouchers
    function refundSale(
        uint256 campaignId,
        address payer,
        bytes32 orderRef,
        uint256 price
    ) external returns (uint256 paid, uint256 discount) {
        return _refundSale(campaignId, payer, orderRef, price);
    }

    /// @inheritdoc IVouchers
    function refundSaleWithPermit(
        uint256 campaignId,
        address payer,
        bytes32 orderRef,
        uint256 price,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 paid, uint256 discount) {
        Permits.use(_token, msg.sender, price, deadline, v, r, s);
        return _refundSale(campaignId, payer, orderRef, price);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc IVouchers
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IVouchers
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IVouchers
    function campaignCount() external view returns (uint256) {
        return _campaignCount;
    }

    /// @inheritdoc IVouchers
    function nextCampaignId() external view returns (uint256) {
        return _campaignCount + 1;
    }

    /// @inheritdoc IVouchers
    function totalOwed() external view returns (uint256) {
        return _totalOwed;
    }

    /// @inheritdoc IVouchers
    function excess() public view returns (uint256) {
        // Never negative: every fen owed came in through `createCampaign` and leaves only as paid.
        return IERC20(address(_token)).balanceOf(address(this)) - _totalOwed;
    }

    /// @inheritdoc IVouchers
    function campaign(uint256 campaignId) external view returns (CampaignView memory) {
        _existing(campaignId);
        return _view(campaignId);
    }

    /// @inheritdoc IVouchers
    function activeCampaigns(
        uint256 cursor,
        uint256 maxResults
    ) external view returns (CampaignView[] memory campaigns, uint256 nextCursor) {
        uint256 count = _campaignCount;
        if (cursor == 0) cursor = 1;
        if (cursor > count) return (new CampaignView[](0), 0);
        uint256 last = Math.min(count, cursor + _MAX_SCAN - 1);
        CampaignView[] memory found = new CampaignView[](Math.min(maxResults, last - cursor + 1));
        uint256 n;
        uint256 id = cursor;
        for (; id <= last && n < found.length; ++id) {
            CampaignStatus status = _status(_campaigns[id]);
            if (status == CampaignStatus.Scheduled || status == CampaignStatus.Active) found[n++] = _view(id);
        }
        campaigns = new CampaignView[](n);
        for (uint256 i; i < n; ++i) {
            campaigns[i] = found[i];
        }
        nextCursor = id > count ? 0 : id;
    }

    /// @inheritdoc IVouchers
    function cityCampaigns(
        uint256 cursor,
        uint256 maxResults
    ) external view returns (CampaignView[] memory campaigns, uint256 nextCursor) {
        return _liveNewestFirst(_cityCampaignIds, cursor, maxResults);
    }

    /// @inheritdoc IVouchers
    function sponsorCampaigns(
        address sponsor,
        uint256 cursor,
        uint256 maxResults
    ) external view returns (CampaignView[] memory campaigns, uint256 nextCursor) {
        return _liveNewestFirst(_sponsorCampaignIds[sponsor], cursor, maxResults);
    }

    /// @inheritdoc IVouchers
    function campaignCounts(address sponsor) external view returns (uint256 city, uint256 bySponsor) {
        return (_cityCampaignIds.length, _sponsorCampaignIds[sponsor].length);
    }

    /// @inheritdoc IVouchers
    function saleRefundable(
        uint256 campaignId,
        address payer,
        address merchant,
        bytes32 orderRef,
        uint256 price
    ) external view returns (bool) {
        (bool found, ) = _findSale(campaignId, payer, _saleHash(merchant, orderRef, price));
        return found;
    }

    /// @inheritdoc IVouchers
    function residentCampaignCount(address resident) external view returns (uint256) {
        return _campaignsOf[resident].length;
    }

    /// @inheritdoc IVouchers
    function vouchersOf(
        address resident,
        uint256 offset,
        uint256 maxResults
    ) external view returns (ResidentVouchers[] memory vouchers) {
        uint256[] storage ids = _campaignsOf[resident];
        uint256 total = ids.length;
        if (offset >= total) return new ResidentVouchers[](0);
        uint256 n = Math.min(maxResults, total - offset);
        vouchers = new ResidentVouchers[](n);
        for (uint256 i; i < n; ++i) {
            uint256 campaignId = ids[offset + i];
            Holding memory h = _holdings[campaignId][resident];
            vouchers[i] = ResidentVouchers({
                campaignId: campaignId,
                claimed: h.claimed,
                redeemed: h.redeemed,
                state: _voucherState(_campaigns[campaignId], h)
            });
        }
    }

    /// @inheritdoc IVouchers
    function holdingOf(uint256 campaignId, address resident) external view returns (uint16 claimed, uint16 redeemed) {
        Holding memory h = _holdings[campaignId][resident];
        return (h.claimed, h.redeemed);
    }

    /// @inheritdoc IVouchers
    function discountFor(uint256 campaignId, uint256 price) external view returns (uint256) {
        Campaign storage c = _existing(campaignId);
        return _discount(c.rules.kind, c.rules.discount, c.supply.maxDiscount, price);
    }

    /// @inheritdoc IVouchers
    /// @dev Ties go to the voucher whose window ends first, so it is used before it goes void.
    function bestVoucher(
        address resident,
        address merchant,
        uint256 price
    ) external view returns (uint256 campaignId, uint256 discount) {
        (IMerchantRegistry.Category category, bool active) = _registry.categoryOf(merchant);
        if (!active || merchant == resident) return (0, 0);
        uint256[] storage ids = _campaignsOf[resident];
        uint256 bestEndsAt;
        for (uint256 i; i < ids.length; ++i) {
            uint256 id = ids[i];
            Campaign storage c = _campaigns[id];
            Holding memory h = _holdings[id][resident];
            if (h.redeemed >= h.claimed || c.supply.stopped) continue;
            if (block.timestamp < c.rules.startsAt || block.timestamp >= c.rules.endsAt || price < c.rules.minSpend)
                continue;
            if (c.rules.merchantList ? !_accepts[id][merchant] : (c.rules.categoryMask >> uint8(category)) & 1 == 0)
                continue;
            uint256 d = _discount(c.rules.kind, c.rules.discount, c.supply.maxDiscount, price);
            if (d == 0 || d > c.supply.remainingBudget) continue;
            if (d > discount || (d == discount && c.rules.endsAt < bestEndsAt)) {
                (campaignId, discount, bestEndsAt) = (id, d, c.rules.endsAt);
            }
        }
    }

    /// @inheritdoc IVouchers
    function eligibilityLeaf(address sponsor, bytes32 listSalt, address resident) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(sponsor, listSalt, resident))));
    }

    /// @inheritdoc IVouchers
    function ticketSigner() external view returns (address) {
        return _ticketSigner;
    }

    /// @inheritdoc IVouchers
    function ticketDigest(
        uint256 campaignId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TICKET_TYPEHASH, campaignId, claimer, nullifier, deadline)));
    }

    /// @inheritdoc IVouchers
    function identityClaims(uint256 campaignId, bytes32 nullifier) external view returns (uint256) {
        return _identityClaims[campaignId][nullifier];
    }

    // ───────────────────────────── internal ─────────────────────────────

    /// @dev Checks the terms and the sponsor, records the campaign and its merchants.
    function _create(CampaignTerms calldata terms) private returns (uint256 campaignId, uint256 budget) {
        address[] calldata merchants = terms.merchants;
        if (!hasRole(CITY_SPONSOR_ROLE, msg.sender)) {
            (, bool active) = _registry.categoryOf(msg.sender);
            if (!active) revert VouchersSponsorNotAllowed(msg.sender);
            if (terms.categoryMask != 0) revert VouchersNotOwnShop(msg.sender, address(0));
            for (uint256 i; i < merchants.length; ++i) {
                if (merchants[i] != msg.sender) revert VouchersNotOwnShop(msg.sender, merchants[i]);
            }
        }

        uint64 maxDiscount;
        if (terms.kind == DiscountKind.Fixed) {
            if (terms.discount == 0 || terms.cap != 0 || terms.discount > terms.minSpend) {
                revert VouchersInvalidDiscount(terms.kind, terms.discount, terms.cap, terms.minSpend);
            }
            maxDiscount = terms.discount;
        } else {
            if (terms.discount == 0 || terms.discount > _BPS || terms.cap == 0) {
                revert VouchersInvalidDiscount(terms.kind, terms.discount, terms.cap, terms.minSpend);
            }
            maxDiscount = terms.cap;
        }
        if (terms.endsAt <= terms.startsAt || terms.endsAt <= block.timestamp) {
            revert VouchersInvalidWindow(terms.startsAt, terms.endsAt, block.timestamp);
        }
        if (terms.totalVouchers == 0 || terms.perResidentLimit == 0 || terms.perResidentLimit > type(uint8).max) {
            revert VouchersInvalidSupply(terms.totalVouchers, terms.perResidentLimit);
        }
        if ((merchants.length == 0) == (terms.categoryMask == 0)) {
            revert VouchersInvalidScope(merchants.length, terms.categoryMask);
        }
        if (merchants.length > MAX_MERCHANTS) revert VouchersTooManyMerchants(merchants.length, MAX_MERCHANTS);

        campaignId = ++_campaignCount;
        budget = uint256(terms.totalVouchers) * maxDiscount;
        _totalOwed += budget;

        Campaign storage c = _campaigns[campaignId];
        c.rules.startsAt = terms.startsAt;
        c.rules.endsAt = terms.endsAt;
        c.rules.minSpend = terms.minSpend;
        c.rules.discount = terms.discount;
        c.rules.categoryMask = terms.categoryMask;
        c.rules.kind = terms.kind;
        c.rules.merchantList = merchants.length != 0;
        c.supply.remainingBudget = uint96(budget);
        c.supply.maxDiscount = maxDiscount;
        c.supply.totalVouchers = terms.totalVouchers;
        c.supply.perResidentLimit = uint8(terms.perResidentLimit);
        c.supply.residentsOnly = terms.residentsOnly;
        c.sponsor = msg.sender;
        c.budget = uint96(budget);
        c.eligibleRoot = terms.eligibleRoot;
        if (terms.eligibleRoot != bytes32(0)) c.listSalt = terms.listSalt;

        mapping(address merchant => bool) storage accepts = _accepts[campaignId];
        for (uint256 i; i < merchants.length; ++i) {
            address merchant = merchants[i];
            (, bool active) = _registry.categoryOf(merchant);
            if (!active) revert VouchersMerchantInactive(merchant);
            if (accepts[merchant]) revert VouchersDuplicateMerchant(merchant);
            accepts[merchant] = true;
        }
        if (merchants.length != 0) _merchants[campaignId] = merchants;
        _sponsorCampaignIds[msg.sender].push(campaignId);
        if (hasRole(CITY_SPONSOR_ROLE, msg.sender)) _cityCampaignIds.push(campaignId);

        emit CampaignCreated(campaignId, msg.sender, budget, terms);
    }

    /// @dev Every check of a redemption, then the bookkeeping (one voucher used, the discount taken
    /// from the budget). Returns the discount. Tokens move afterwards, in {_pay}.
    function _spendVoucher(
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef
    ) private returns (uint256 discount) {
        if (orderRef == bytes32(0)) revert VouchersMissingOrderRef();
        if (merchant == msg.sender) revert VouchersSelfPayment(msg.sender);
        Campaign storage c = _campaigns[campaignId];
        Rules memory rules = c.rules;
        if (rules.endsAt == 0) revert VouchersUnknownCampaign(campaignId);
        if (c.supply.stopped) revert VouchersCampaignStopped(campaignId);
        if (block.timestamp < rules.startsAt) revert VouchersNotStarted(campaignId, rules.startsAt, block.timestamp);
        if (block.timestamp >= rules.endsAt) revert VouchersEnded(campaignId, rules.endsAt, block.timestamp);

        Holding storage h = _holdings[campaignId][msg.sender];
        uint16 redeemed = h.redeemed;
        if (redeemed >= h.claimed) revert VouchersNoVoucher(campaignId, msg.sender);
        // A frozen resident redeems nothing, even a voucher that leaves her nothing to pay.
        if (_token.isFrozen(msg.sender)) revert VouchersAccountFrozen(msg.sender);

        (IMerchantRegistry.Category category, bool active) = _registry.categoryOf(merchant);
        if (!active) revert VouchersMerchantInactive(merchant);
        if (rules.merchantList) {
            if (!_accepts[campaignId][merchant]) revert VouchersMerchantNotInCampaign(campaignId, merchant);
        } else if ((rules.categoryMask >> uint8(category)) & 1 == 0) {
            revert VouchersCategoryNotInCampaign(campaignId, merchant, category);
        }
        if (price < rules.minSpend) revert VouchersBelowMinimumSpend(campaignId, price, rules.minSpend);

        discount = _discount(rules.kind, rules.discount, c.supply.maxDiscount, price);
        if (discount == 0) revert VouchersZeroDiscount(campaignId, price);
        uint256 remaining = c.supply.remainingBudget;
        if (discount > remaining) revert VouchersBudgetExceeded(campaignId, remaining, discount);

        c.supply.remainingBudget = uint96(remaining - discount);
        _totalOwed -= discount;
        h.redeemed = redeemed + 1;
        _sales[campaignId][msg.sender][redeemed] = _saleHash(merchant, orderRef, price);
    }

    /// @dev The refund of a sale found by {_findSale}: the campaign's budget and the resident's
    /// voucher come back, then the merchant pays back the resident's part and the discount.
    function _refundSale(
        uint256 campaignId,
        address payer,
        bytes32 orderRef,
        uint256 price
    ) private returns (uint256 paid, uint256 discount) {
        (bool found, uint256 index) = _findSale(campaignId, payer, _saleHash(msg.sender, orderRef, price));
        if (!found) revert VouchersSaleNotFound(campaignId, payer, msg.sender, orderRef, price);
        discount = _restoreVoucher(campaignId, payer, index, price);
        paid = price - discount;
        emit VoucherSaleRefunded(
            PaymentIds.compute(payer, msg.sender, orderRef),
            payer,
            msg.sender,
            campaignId,
            paid,
            discount
        );
        IERC20 hcy = IERC20(address(_token));
        if (paid != 0) hcy.safeTransferFrom(msg.sender, payer, paid);
        hcy.safeTransferFrom(msg.sender, address(this), discount);
    }

    /// @dev Undoes the bookkeeping of `payer`'s used voucher number `index`, sold at `price`: the
    /// voucher is unused again and its discount (returned) back in the campaign's budget. The used
    /// vouchers stay 0..redeemed-1: the last used one's sale moves into the freed word.
    function _restoreVoucher(
        uint256 campaignId,
        address payer,
        uint256 index,
        uint256 price
    ) private returns (uint256 discount) {
        Campaign storage c = _campaigns[campaignId];
        discount = _discount(c.rules.kind, c.rules.discount, c.supply.maxDiscount, price);
        Holding storage h = _holdings[campaignId][payer];
        uint16 last = h.redeemed - 1;
        mapping(uint256 index => bytes32) storage sales = _sales[campaignId][payer];
        if (index != last) sales[index] = sales[last];
        sales[last] = _UNUSED;
        h.redeemed = last;
        c.supply.remainingBudget += uint96(discount);
        // A settled campaign reopens for its sponsor to reclaim what came back.
        c.supply.settled = false;
        _totalOwed += discount;
    }

    /// @dev Where `payer`'s used voucher of `campaignId` with sale `saleHash` is, newest first.
    function _findSale(
        uint256 campaignId,
        address payer,
        bytes32 saleHash
    ) private view returns (bool found, uint256 index) {
        mapping(uint256 index => bytes32) storage sales = _sales[campaignId][payer];
        for (uint256 i = _holdings[campaignId][payer].redeemed; i > 0; --i) {
            if (sales[i - 1] == saleHash) return (true, i - 1);
        }
    }

    function _saleHash(address merchant, bytes32 orderRef, uint256 price) private pure returns (bytes32) {
        return keccak256(abi.encode(merchant, orderRef, price));
    }

    /// @dev Live (Scheduled or Active) campaigns of `ids`, newest first: `cursor` is how many
    /// entries are still to look at (0 to start from the newest), at most {_MAX_SCAN} per call.
    function _liveNewestFirst(
        uint256[] storage ids,
        uint256 cursor,
        uint256 maxResults
    ) private view returns (CampaignView[] memory campaigns, uint256 nextCursor) {
        uint256 left = cursor == 0 || cursor > ids.length ? ids.length : cursor;
        uint256 stopAt = left > _MAX_SCAN ? left - _MAX_SCAN : 0;
        CampaignView[] memory found = new CampaignView[](Math.min(maxResults, left - stopAt));
        uint256 n;
        for (; left > stopAt && n < found.length; --left) {
            uint256 id = ids[left - 1];
            CampaignStatus status = _status(_campaigns[id]);
            if (status == CampaignStatus.Scheduled || status == CampaignStatus.Active) found[n++] = _view(id);
        }
        campaigns = new CampaignView[](n);
        for (uint256 i; i < n; ++i) {
            campaigns[i] = found[i];
        }
        nextCursor = left;
    }

    /// @dev Pays the merchant the full price: the resident's part straight from the resident (no
    /// hop through the escrow), the discount from the escrow. Emits the receipt.
    function _pay(
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef,
        uint256 discount
    ) private returns (bytes32 paymentId) {
        IERC20 hcy = IERC20(address(_token));
        // A fixed discount equal to the price leaves the resident nothing to pay; CityYuan rejects
        // zero-value transfers out of someone else's account, so skip it.
        if (price != discount) hcy.safeTransferFrom(msg.sender, merchant, price - discount);
        paymentId = PaymentIds.compute(msg.sender, merchant, orderRef);
        hcy.safeTransfer(merchant, discount);
        emit VoucherRedeemed(paymentId, msg.sender, merchant, price, orderRef, campaignId, discount);
    }

    /// @dev The campaign, or a revert if it was never created.
    /// @dev The checks every claim makes: the campaign is open, not exhausted, the claimer below
    /// the per-address limit, on the list if there is one, and not frozen.
    function _claimable(
        uint256 campaignId,
        bytes32[] calldata proof,
        address claimer
    ) private view returns (Campaign storage c) {
        c = _existing(campaignId);
        if (c.supply.stopped) revert VouchersCampaignStopped(campaignId);
        if (block.timestamp >= c.rules.endsAt) revert VouchersEnded(campaignId, c.rules.endsAt, block.timestamp);
        if (c.supply.claimed >= c.supply.totalVouchers) {
            revert VouchersSupplyExhausted(campaignId, c.supply.totalVouchers);
        }
        if (_holdings[campaignId][claimer].claimed >= c.supply.perResidentLimit) {
            revert VouchersPerResidentLimitReached(campaignId, claimer, c.supply.perResidentLimit);
        }
        bytes32 root = c.eligibleRoot;
        if (
            root != bytes32(0) &&
            !MerkleProof.verifyCalldata(proof, root, eligibilityLeaf(c.sponsor, c.listSalt, claimer))
        ) {
            revert VouchersNotEligible(campaignId, claimer);
        }
        if (_token.isFrozen(claimer)) revert VouchersAccountFrozen(claimer);
    }

    function _recordClaim(uint256 campaignId, Campaign storage c, address claimer) private {
        Holding storage h = _holdings[campaignId][claimer];
        uint16 held = h.claimed;
        uint32 claimedTotal = c.supply.claimed;
        if (held == 0) _campaignsOf[claimer].push(campaignId);
        h.claimed = held + 1;
        _sales[campaignId][claimer][held] = _UNUSED;
        c.supply.claimed = claimedTotal + 1;
        emit VoucherClaimed(campaignId, claimer, held + 1, claimedTotal + 1);
    }

    function _existing(uint256 campaignId) private view returns (Campaign storage c) {
        c = _campaigns[campaignId];
        if (c.rules.endsAt == 0) revert VouchersUnknownCampaign(campaignId);
    }

    function _discount(
        DiscountKind kind,
        uint256 discount,
        uint256 maxDiscount,
        uint256 price
    ) private pure returns (uint256) {
        if (kind == DiscountKind.Fixed) return discount;
        return Math.min(Math.mulDiv(price, discount, _BPS), maxDiscount);
    }

    function _status(Campaign storage c) private view returns (CampaignStatus) {
        if (c.supply.settled) return CampaignStatus.Settled;
        if (c.supply.stopped) return CampaignStatus.Stopped;
        if (block.timestamp >= c.rules.endsAt) return CampaignStatus.Ended;
        if (block.timestamp < c.rules.startsAt) return CampaignStatus.Scheduled;
        return CampaignStatus.Active;
    }

    function _voucherState(Campaign storage c, Holding memory h) private view returns (VoucherState) {
        if (h.redeemed >= h.claimed) return VoucherState.Used;
        if (c.supply.stopped || block.timestamp >= c.rules.endsAt) return VoucherState.Void;
        if (block.timestamp < c.rules.startsAt) return VoucherState.NotYetValid;
        return VoucherState.Usable;
    }

    function _view(uint256 campaignId) private view returns (CampaignView memory) {
        Campaign storage c = _campaigns[campaignId];
        return
            CampaignView({
                campaignId: campaignId,
                sponsor: c.sponsor,
                kind: c.rules.kind,
                discount: c.rules.discount,
                maxDiscount: c.supply.maxDiscount,
                minSpend: c.rules.minSpend,
                startsAt: c.rules.startsAt,
                endsAt: c.rules.endsAt,
                totalVouchers: c.supply.totalVouchers,
                claimed: c.supply.claimed,
                perResidentLimit: c.supply.perResidentLimit,
                categoryMask: c.rules.categoryMask,
                merchants: _merchants[campaignId],
                eligibleRoot: c.eligibleRoot,
                listSalt: c.listSalt,
                residentsOnly: c.supply.residentsOnly,
                budget: c.budget,
                remainingBudget: c.supply.remainingBudget,
                status: _status(c)
            });
    }
}
