// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMerchantRegistry} from "./IMerchantRegistry.sol";

/// @title Promotions and city consumption vouchers (消费券): the escrow of campaign budgets
/// @notice A sponsor (the city's voucher office, or a registered active merchant for its own shop)
/// escrows a campaign's whole budget at creation. Residents claim vouchers, then redeem one at
/// checkout: the resident pays `price - discount`, the merchant receives the full `price`, the
/// difference comes out of the campaign's budget. After the window (or when a guardian stops the
/// campaign) what is left goes back to the sponsor, never elsewhere.
/// @dev Amounts are in fen (HCY has 2 decimals). Campaign ids start at 1; 0 means "none".
interface IVouchers {
    // ───────────────────────────── types ─────────────────────────────

    /// @notice How a voucher's discount is computed.
    /// @dev Fixed: `discount` fen off. Percentage: `discount` basis points of the price, at most
    /// `cap` fen. Append only (stored).
    enum DiscountKind {
        Fixed,
        Percentage
    }

    /// @notice Where a campaign stands right now.
    enum CampaignStatus {
        Scheduled, // created, window not yet open (vouchers may already be claimed)
        Active, // inside [startsAt, endsAt): vouchers can be claimed and redeemed
        Ended, // window over, budget not yet reclaimed
        Stopped, // stopped by a guardian, budget not yet paid back (sponsor was frozen or token paused)
        Settled // the remaining budget went back to the sponsor; nothing more can happen
    }

    /// @notice The state of a resident's vouchers in one campaign, as the dApp shows it.
    enum VoucherState {
        Usable, // at least one voucher can be redeemed now
        NotYetValid, // claimed, window not yet open
        Used, // every claimed voucher was redeemed
        Void // window over or campaign stopped: unredeemed vouchers are void
    }

    /// @notice What a sponsor asks for when creating a campaign.
    /// @dev `discount`: fen for Fixed, basis points (1..10000) for Percentage.
    /// `cap`: for Percentage, the most one voucher can take off, in fen (> 0); must be 0 for Fixed.
    /// The budget escrowed is `totalVouchers * maxDiscount`, where maxDiscount is `discount`
    /// (Fixed) or `cap` (Percentage).
    /// `minSpend`: the smallest price (fen) a voucher applies to; for Fixed at least `discount`.
    /// Where it is usable: either `merchants` (1..32 registered active merchants, no duplicates)
    /// or `categoryMask` (bit i set = `IMerchantRegistry.Category(i)` accepted), never both.
    /// `eligibleRoot`: zero for a campaign open to everyone; otherwise the root of an OpenZeppelin
    /// Merkle tree whose leaves are
    /// `keccak256(bytes.concat(keccak256(abi.encode(sponsor, listSalt, resident))))` (the "standard"
    /// double-hashed leaf of @openzeppelin/merkle-tree with types ["address","bytes32","address"]).
    /// `listSalt`: any value the sponsor picks for this list (ignored when the root is zero).
    /// Binding the leaf to the sponsor (the caller) and the salt, not to a campaign id, means the
    /// list can be built before creation without guessing an id someone else could take first;
    /// another sponsor's campaign can never accept it, and a sponsor who wants two lists kept
    /// apart uses two salts.
    /// `residentsOnly`: vouchers are claimed only with the city service's resident ticket
    /// ({claimAsResident}), and `perResidentLimit` (at most 255) then counts per verified resident,
    /// whatever addresses she uses, so one person with 50 addresses cannot drain the campaign.
    struct CampaignTerms {
        DiscountKind kind;
        uint64 discount;
        uint64 cap;
        uint64 minSpend;
        uint40 startsAt;
        uint40 endsAt;
        uint32 totalVouchers;
        uint16 perResidentLimit;
        uint32 categoryMask;
        address[] merchants;
        bytes32 eligibleRoot;
        bytes32 listSalt;
        bool residentsOnly;
    }

    /// @notice A campaign as the dApp reads it.
    struct CampaignView {
        uint256 campaignId;
        address sponsor;
        DiscountKind kind;
        uint64 discount;
        uint64 maxDiscount;
        uint64 minSpend;
        uint40 startsAt;
        uint40 endsAt;
        uint32 totalVouchers;
        uint32 claimed;
        uint16 perResidentLimit;
        uint32 categoryMask;
        address[] merchants;
        bytes32 eligibleRoot;
        bytes32 listSalt;
        bool residentsOnly;
        uint256 budget;
        uint256 remainingBudget;
        CampaignStatus status;
    }

    /// @notice One campaign's vouchers held by a resident.
    struct ResidentVouchers {
        uint256 campaignId;
        uint16 claimed;
        uint16 redeemed;
        VoucherState state;
    }

    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when a constructor address (token, registry) or a rescue recipient is zero.
    error VouchersZeroAddress();
    /// @notice Thrown when no campaign has id `campaignId`.
    /// @param campaignId The id asked for.
    error VouchersUnknownCampaign(uint256 campaignId);
    /// @notice Thrown when a discount is zero, a percentage is above 10000 bps, a percentage has no
    /// cap, a fixed discount has a cap, or a fixed discount is above the minimum spend.
    /// @param kind The discount's kind.
    /// @param discount The discount (fen, or basis points for a percentage).
    /// @param cap The percentage's cap, in fen.
    /// @param minSpend The minimum spend, in fen.
    error VouchersInvalidDiscount(DiscountKind kind, uint256 discount, uint256 cap, uint256 minSpend);
    /// @notice Thrown when a window is empty (`endsAt <= startsAt`) or already over (`endsAt <= now`).
    /// @param startsAt The window's start (Unix seconds).
    /// @param endsAt Its end (Unix seconds).
    /// @param timestamp The block's time.
    error VouchersInvalidWindow(uint256 startsAt, uint256 endsAt, uint256 timestamp);
    /// @notice Thrown when the total supply or the per-resident limit is zero.
    /// @param totalVouchers The vouchers on offer.
    /// @param perResidentLimit The vouchers one resident may claim.
    error VouchersInvalidSupply(uint256 totalVouchers, uint256 perResidentLimit);
    /// @notice Thrown when a campaign names neither merchants nor categories, or both.
    /// @param merchantCount The merchants listed.
    /// @param categoryMask The categories named, one bit each.
    error VouchersInvalidScope(uint256 merchantCount, uint256 categoryMask);
    /// @notice Thrown when a campaign lists more merchants than allowed.
    /// @param count The merchants listed.
    /// @param maxCount The most allowed.
    error VouchersTooManyMerchants(uint256 count, uint256 maxCount);
    /// @notice Thrown when a campaign lists the same merchant twice.
    /// @param merchant The merchant listed twice.
    error VouchersDuplicateMerchant(address merchant);
    /// @notice Thrown when a merchant is not registered or not active (at creation or redemption).
    /// @param merchant The merchant.
    error VouchersMerchantInactive(address merchant);
    /// @notice Thrown when the caller holds no sponsor role and is not a registered active merchant.
    /// @param sponsor The caller.
    error VouchersSponsorNotAllowed(address sponsor);
    /// @notice Thrown when a merchant sponsor's campaign would be usable anywhere but its own shop
    /// (`merchant` is the offending entry, or zero for a category campaign).
    /// @param sponsor The merchant sponsoring.
    /// @param merchant The offending entry, or zero for a category campaign.
    error VouchersNotOwnShop(address sponsor, address merchant);
    /// @notice Thrown when the admin rescues excess HCY but the escrow holds none beyond what it owes.
    error VouchersNoExcess();
    /// @notice Thrown when redeeming before the window opens.
    /// @param campaignId The campaign.
    /// @param startsAt When its window opens (Unix seconds).
    /// @param timestamp The block's time.
    error VouchersNotStarted(uint256 campaignId, uint256 startsAt, uint256 timestamp);
    /// @notice Thrown when claiming or redeeming at or after the end of the window.
    /// @param campaignId The campaign.
    /// @param endsAt When its window closed (Unix seconds).
    /// @param timestamp The block's time.
    error VouchersEnded(uint256 campaignId, uint256 endsAt, uint256 timestamp);
    /// @notice Thrown when claiming, redeeming or stopping a campaign a guardian has stopped.
    /// @param campaignId The stopped campaign.
    error VouchersCampaignStopped(uint256 campaignId);
    /// @notice Thrown when every voucher of the campaign has been claimed.
    /// @param campaignId The campaign.
    /// @param totalVouchers The vouchers it offered, all claimed.
    error VouchersSupplyExhausted(uint256 campaignId, uint256 totalVouchers);
    /// @notice Thrown when `resident` already claimed as many vouchers as one resident may.
    /// @param campaignId The campaign.
    /// @param resident The claiming address.
    /// @param limit The vouchers one resident may claim.
    error VouchersPerResidentLimitReached(uint256 campaignId, address resident, uint256 limit);
    /// @notice Thrown when `resident` is not on the campaign's eligibility list (bad proof).
    /// @param campaignId The campaign.
    /// @param resident The claiming address.
    error VouchersNotEligible(uint256 campaignId, address resident);
    /// @notice Thrown when a frozen account tries to claim or redeem a voucher.
    /// @param account The frozen account.
    error VouchersAccountFrozen(address account);
    /// @notice Thrown when `resident` holds no unredeemed voucher of the campaign.
    /// @param campaignId The campaign.
    /// @param resident The redeeming address.
    error VouchersNoVoucher(uint256 campaignId, address resident);
    /// @notice Thrown when a merchant-list campaign does not include `merchant`.
    /// @param campaignId The campaign.
    /// @param merchant The merchant paid.
    error VouchersMerchantNotInCampaign(uint256 campaignId, address merchant);
    /// @notice Thrown when a category campaign does not accept `merchant`'s category.
    /// @param campaignId The campaign.
    /// @param merchant The merchant paid.
    /// @param category The merchant's category.
    error VouchersCategoryNotInCampaign(uint256 campaignId, address merchant, IMerchantRegistry.Category category);
    /// @notice Thrown when the price is below the campaign's minimum spend.
    /// @param campaignId The campaign.
    /// @param price The price, in fen.
    /// @param minSpend The minimum spend, in fen.
    error VouchersBelowMinimumSpend(uint256 campaignId, uint256 price, uint256 minSpend);
    /// @notice Thrown when the voucher would take nothing off `price` (a tiny percentage).
    /// @param campaignId The campaign.
    /// @param price The price, in fen.
    error VouchersZeroDiscount(uint256 campaignId, uint256 price);
    /// @notice Thrown when the campaign's remaining budget cannot pay `discount`.
    /// @param campaignId The campaign.
    /// @param remainingBudget Its budget left, in fen.
    /// @param discount The discount due, in fen.
    error VouchersBudgetExceeded(uint256 campaignId, uint256 remainingBudget, uint256 discount);
    /// @notice Thrown when a resident would pay a merchant address that is their own.
    /// @param account The resident paying herself.
    error VouchersSelfPayment(address account);
    /// @notice Thrown when a redemption carries no order reference.
    error VouchersMissingOrderRef();
    /// @notice Thrown when someone other than the sponsor reclaims a campaign's budget.
    /// @param campaignId The campaign.
    /// @param caller Who tried to reclaim.
    error VouchersNotSponsor(uint256 campaignId, address caller);
    /// @notice Thrown when the sponsor reclaims before the window is over (and it was not stopped).
    /// @param campaignId The campaign.
    /// @param endsAt When its window closes (Unix seconds).
    /// @param timestamp The block's time.
    error VouchersReclaimTooEarly(uint256 campaignId, uint256 endsAt, uint256 timestamp);
    /// @notice Thrown when the budget was already paid back to the sponsor.
    /// @param campaignId The campaign.
    error VouchersAlreadySettled(uint256 campaignId);
    /// @notice Thrown when a residents-only campaign is claimed without a resident ticket.
    /// @param campaignId The residents-only campaign.
    error VouchersTicketRequired(uint256 campaignId);
    /// @notice Thrown when a ticket is used on a campaign open to everyone.
    /// @param campaignId The campaign open to everyone.
    error VouchersTicketNotNeeded(uint256 campaignId);
    /// @notice Thrown when a resident ticket was not signed by the ticket signer for this campaign,
    /// claimer and nullifier (or on another chain or contract: the EIP-712 domain binds both).
    /// @param campaignId The campaign.
    /// @param claimer The claimer the ticket was checked for.
    error VouchersInvalidTicket(uint256 campaignId, address claimer);
    /// @notice Thrown when a resident ticket's deadline has passed.
    /// @param deadline The ticket's deadline (Unix seconds).
    error VouchersTicketExpired(uint256 deadline);
    /// @notice Thrown when the verified resident behind `nullifier` already holds the campaign's
    /// per-resident limit, from whichever addresses.
    /// @param campaignId The campaign.
    /// @param nullifier The resident's nullifier for this campaign's tickets.
    /// @param limit The vouchers one resident may claim.
    error VouchersIdentityLimitReached(uint256 campaignId, bytes32 nullifier, uint256 limit);
    /// @notice Thrown when `merchant` asks to refund a voucher sale that is not on record: no
    /// unrefunded sale to `payer` for `orderRef` at `price` with a voucher of `campaignId` (never
    /// made, made by another merchant, or already refunded).
    /// @param campaignId The campaign named.
    /// @param payer The resident named.
    /// @param merchant Who asked (the caller).
    /// @param orderRef The order reference named.
    /// @param price The full price named, in fen.
    error VouchersSaleNotFound(uint256 campaignId, address payer, address merchant, bytes32 orderRef, uint256 price);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when `sponsor` creates campaign `campaignId` and escrows `budget` fen.
    /// @param campaignId The new campaign's id.
    /// @param sponsor Who created and funded it.
    /// @param budget Fen escrowed: `totalVouchers * maxDiscount`.
    /// @param terms The terms as asked.
    event CampaignCreated(uint256 indexed campaignId, address indexed sponsor, uint256 budget, CampaignTerms terms);
    /// @notice Emitted when `resident` claims a voucher: `residentClaimed` is how many they now hold
    /// in total in this campaign, `campaignClaimed` how many the whole campaign has given out.
    /// @param campaignId The campaign.
    /// @param resident Who claimed.
    /// @param residentClaimed Vouchers the resident has claimed in this campaign, this one included.
    /// @param campaignClaimed Vouchers the campaign has given out, this one included.
    event VoucherClaimed(
        uint256 indexed campaignId,
        address indexed resident,
        uint256 residentClaimed,
        uint256 campaignClaimed
    );
    /// @notice The receipt of a checkout with a voucher, shaped like `ICityYuan.PaymentMade`:
    /// `payee` received `price` in full for `orderRef`; `payer` paid `price - discount` and
    /// campaign `campaignId`'s budget paid `discount`.
    /// @dev `paymentId` is `keccak256(abi.encode(payer, payee, orderRef))`, as for CityYuan's `pay`.
    /// The sale is refunded in full with this contract's `refundSale`, not CityYuan's `refund`.
    /// @param paymentId The receipt's id, the one refunds point at.
    /// @param payer The resident.
    /// @param payee The merchant.
    /// @param price The full price, in fen.
    /// @param orderRef The merchant's order reference.
    /// @param campaignId The campaign whose voucher was used.
    /// @param discount What the campaign's budget paid, in fen.
    event VoucherRedeemed(
        bytes32 indexed paymentId,
        address indexed payer,
        address indexed payee,
        uint256 price,
        bytes32 orderRef,
        uint256 campaignId,
        uint256 discount
    );
    /// @notice Emitted when `payee` refunds a voucher sale in full: `payer` got back `paid` (what she
    /// paid, `price - discount`), campaign `campaignId`'s budget got back `discount`, and her voucher
    /// is hers to use again while the campaign runs.
    /// @param paymentId The receipt's id (as in `VoucherRedeemed`).
    /// @param payer The resident refunded.
    /// @param payee The merchant who refunds.
    /// @param campaignId The campaign whose budget gets its discount back.
    /// @param paid Fen returned to the resident.
    /// @param discount Fen returned to the campaign's budget.
    event VoucherSaleRefunded(
        bytes32 indexed paymentId,
        address indexed payer,
        address indexed payee,
        uint256 campaignId,
        uint256 paid,
        uint256 discount
    );
    /// @notice Emitted when `guardian` stops campaign `campaignId`; `refunded` fen went back to
    /// `sponsor` at once (zero when the sponsor is frozen or the token paused: the sponsor then
    /// reclaims later).
    /// @param campaignId The campaign stopped.
    /// @param guardian Who stopped it.
    /// @param sponsor Who funded it.
    /// @param refunded Fen paid back to the sponsor at once.
    /// @param reason Why it was stopped.
    event CampaignStopped(
        uint256 indexed campaignId,
        address indexed guardian,
        address indexed sponsor,
        uint256 refunded,
        string reason
    );
    /// @notice Emitted when `amount` fen of campaign `campaignId`'s budget goes back to `sponsor`.
    /// @param campaignId The campaign settled.
    /// @param sponsor Who gets the rest of the budget back.
    /// @param amount Fen paid back.
    event BudgetReclaimed(uint256 indexed campaignId, address indexed sponsor, uint256 amount);
    /// @notice Emitted when the admin moves HCY that was sent straight to the escrow (not owed to
    /// any campaign) to `to`.
    /// @param to The address named in the rescue.
    /// @param amount Fen moved: the escrow's balance minus what it owes.
    event ExcessRescued(address indexed to, uint256 amount);
    /// @notice Emitted when the admin sets the key whose resident tickets the escrow accepts.
    /// @param admin Who set it.
    /// @param signer The city service's ticket key (zero: no residents-only claim can succeed).
    event TicketSignerSet(address indexed admin, address signer);

    // ───────────────────────────── sponsors ─────────────────────────────

    /// @notice Creates a campaign and escrows its budget (`totalVouchers * maxDiscount`) from the
    /// caller's existing allowance. City sponsor role, or a registered active merchant for a
    /// campaign usable only at its own shop.
    /// @return campaignId The new campaign's id.
    function createCampaign(CampaignTerms calldata terms) external returns (uint256 campaignId);

    /// @notice Same as `createCampaign`, with an ERC-2612 permit for exactly the budget signed by
    /// the caller, so no standing allowance is ever given.
    /// @return campaignId The new campaign's id.
    function createCampaignWithPermit(
        CampaignTerms calldata terms,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 campaignId);

    /// @notice After the window (or once stopped), pays what is left of the budget back to the
    /// sponsor. Sponsor only; once.
    /// @return amount What was paid back, in fen.
    function reclaim(uint256 campaignId) external returns (uint256 amount);

    /// @notice Stops a campaign at once and pays its remaining budget back to its sponsor (if the
    /// sponsor is frozen or the token paused, the budget stays escrowed for the sponsor to reclaim).
    /// Guardian role only.
    function stop(uint256 campaignId, string calldata reason) external;

    /// @notice Moves HCY sent straight to the escrow (its balance minus `totalOwed`) to `to`.
    /// Admin only; never touches a fen any campaign is owed.
    /// @return amount What was moved, in fen.
    function rescueExcess(address to) external returns (uint256 amount);

    // ───────────────────────────── residents ─────────────────────────────

    /// @notice Claims one voucher of `campaignId` for the caller. `proof` is the Merkle proof of the
    /// caller's leaf (empty for an open campaign). First come, first served. A frozen account cannot
    /// claim.
    function claim(uint256 campaignId, bytes32[] calldata proof) external;

    /// @notice Claims one voucher of a residents-only campaign for the caller, with the city
    /// service's EIP-712 `ResidentTicket(campaignId, claimer, nullifier, deadline)`: the nullifier
    /// stands for one verified resident in this campaign, so the per-resident limit holds across
    /// all her addresses. `proof` as for {claim}.
    function claimAsResident(
        uint256 campaignId,
        bytes32[] calldata proof,
        bytes32 nullifier,
        uint256 deadline,
        bytes calldata ticket
    ) external;

    /// @notice Sets the city service's ticket key. Admin only.
    function setTicketSigner(address signer) external;

    /// @notice The key whose resident tickets are accepted.
    function ticketSigner() external view returns (address);

    /// @notice The EIP-712 digest the ticket signer signs for a resident's claim.
    function ticketDigest(
        uint256 campaignId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline
    ) external view returns (bytes32);

    /// @notice How many vouchers of `campaignId` the resident behind `nullifier` has claimed.
    function identityClaims(uint256 campaignId, bytes32 nullifier) external view returns (uint256);

    /// @notice Pays `merchant` `price` fen for `orderRef` with one of the caller's vouchers of
    /// `campaignId`: the caller pays `price - discount` from an existing allowance, the budget pays
    /// `discount`. A frozen account cannot redeem.
    /// @dev Refunds: the sale is kept here (one storage word per voucher, written when the voucher
    /// was claimed), and the merchant refunds it in full with `refundSale`: the resident gets back
    /// `price - discount`, the campaign `discount`. CityYuan's `refund` has nothing on record for it.
    /// @return paymentId The receipt id (as CityYuan's `pay` would compute it).
    /// @return discount What the voucher took off, in fen.
    function redeem(
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef
    ) external returns (bytes32 paymentId, uint256 discount);

    /// @notice Same as `redeem`, with an ERC-2612 permit for exactly `price - discount` signed by
    /// the caller: one transaction at checkout, no standing allowance.
    /// @return paymentId The receipt id.
    /// @return discount What the voucher took off, in fen.
    function redeemWithPermit(
        uint256 campaignId,
        address merchant,
        uint256 price,
        bytes32 orderRef,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId, uint256 discount);

    /// @notice Refunds in full a voucher sale the caller (the merchant) made to `payer` for
    /// `orderRef` at `price` with a voucher of `campaignId`: `price - discount` goes back to
    /// `payer` and `discount` to the campaign's budget (a settled campaign is reopened for its
    /// sponsor to reclaim it), both from the caller's existing allowance to this contract of at
    /// least `price`; the resident's voucher is hers again. There is no partial refund of a voucher
    /// sale: to take back part of an order, refund it whole and sell again what she keeps (her
    /// voucher then applies to the new price by the campaign's rules).
    /// @return paid Fen returned to `payer`.
    /// @return discount Fen returned to the campaign.
    function refundSale(
        uint256 campaignId,
        address payer,
        bytes32 orderRef,
        uint256 price
    ) external returns (uint256 paid, uint256 discount);

    /// @notice Same as `refundSale`, with the caller's ERC-2612 permit for exactly `price`.
    /// @return paid Fen returned to `payer`.
    /// @return discount Fen returned to the campaign.
    function refundSaleWithPermit(
        uint256 campaignId,
        address payer,
        bytes32 orderRef,
        uint256 price,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 paid, uint256 discount);

    // ───────────────────────────── views ─────────────────────────────

    /// @notice The role allowed to sponsor campaigns at many merchants (the city's voucher office).
    function CITY_SPONSOR_ROLE() external view returns (bytes32);

    /// @notice The role allowed to stop campaigns.
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice The most merchants a campaign may list.
    function MAX_MERCHANTS() external view returns (uint256);

    /// @notice The token campaigns are funded and paid in.
    function token() external view returns (address);

    /// @notice The merchant registry eligibility is checked against.
    function registry() external view returns (address);

    /// @notice Number of campaigns ever created (ids are 1..campaignCount).
    function campaignCount() external view returns (uint256);

    /// @notice The id the next campaign will get (eligibility trees do not depend on it).
    function nextCampaignId() external view returns (uint256);

    /// @notice What the escrow owes: the sum of every campaign's remaining budget, in fen.
    function totalOwed() external view returns (uint256);

    /// @notice HCY the escrow holds beyond what it owes (sent to it directly), in fen.
    function excess() external view returns (uint256);

    /// @notice Everything about one campaign.
    function campaign(uint256 campaignId) external view returns (CampaignView memory);

    /// @notice Campaigns that are Scheduled or Active, scanning ids from `cursor` (use 1 to start)
    /// and returning at most `maxResults`. Continue from `nextCursor`; it is 0 when the scan is done.
    /// @dev One call scans at most 500 ids so an `eth_call` stays bounded.
    function activeCampaigns(
        uint256 cursor,
        uint256 maxResults
    ) external view returns (CampaignView[] memory campaigns, uint256 nextCursor);

    /// @notice Live (Scheduled or Active) campaigns created by holders of the city sponsor role,
    /// newest first. Start with `cursor` 0; continue from `nextCursor`, which is 0 when done. Only
    /// the city adds to this list, so no shop's campaigns can push the city's out of it.
    /// @dev One call looks at most at 500 entries so an `eth_call` stays bounded.
    function cityCampaigns(
        uint256 cursor,
        uint256 maxResults
    ) external view returns (CampaignView[] memory campaigns, uint256 nextCursor);

    /// @notice Live campaigns created by `sponsor`, newest first; paged like `cityCampaigns`.
    function sponsorCampaigns(
        address sponsor,
        uint256 cursor,
        uint256 maxResults
    ) external view returns (CampaignView[] memory campaigns, uint256 nextCursor);

    /// @notice How many campaigns the city sponsors created, and how many `sponsor` created.
    function campaignCounts(address sponsor) external view returns (uint256 city, uint256 bySponsor);

    /// @notice Whether `merchant` can still refund (with `refundSale`) a voucher sale to `payer`
    /// for `orderRef` at `price` with a voucher of `campaignId`.
    function saleRefundable(
        uint256 campaignId,
        address payer,
        address merchant,
        bytes32 orderRef,
        uint256 price
    ) external view returns (bool);

    /// @notice How many campaigns `resident` ever claimed from.
    function residentCampaignCount(address resident) external view returns (uint256);

    /// @notice `resident`'s vouchers, one entry per campaign claimed from, from index `offset`
    /// (in claiming order), at most `maxResults`.
    function vouchersOf(
        address resident,
        uint256 offset,
        uint256 maxResults
    ) external view returns (ResidentVouchers[] memory vouchers);

    /// @notice How many vouchers `resident` claimed and redeemed in `campaignId`.
    function holdingOf(uint256 campaignId, address resident) external view returns (uint16 claimed, uint16 redeemed);

    /// @notice The discount campaign `campaignId` gives on `price`, ignoring who, where and when.
    function discountFor(uint256 campaignId, uint256 price) external view returns (uint256);

    /// @notice Among `resident`'s vouchers, the one that takes the most off `price` at `merchant`
    /// right now, and that discount; (0, 0) when none applies.
    function bestVoucher(
        address resident,
        address merchant,
        uint256 price
    ) external view returns (uint256 campaignId, uint256 discount);

    /// @notice The Merkle leaf of `resident` in the eligibility list `sponsor` built with `listSalt`.
    function eligibilityLeaf(address sponsor, bytes32 listSalt, address resident) external pure returns (bytes32);
}
