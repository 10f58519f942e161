// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMerchantRegistry} from "./IMerchantRegistry.sol";

/// @title 亲属卡 (family cards): a relative pays shops from a funder's account, within his limits
/// @notice A funder (a son) offers a card to a holder (his mother). Once she accepts, she pays
/// registered shops with it: each payment moves the funder's own HCY straight from his account to
/// the shop, with an order reference, recorded with CityYuan as his payment (so the shop refunds it
/// to him with CityYuan's `refund`), and emits {FamilyCardPaid}, which names the card, the holder
/// and the funder so the shop's receipt says 亲属卡.
/// @dev The rules:
/// - Limits: a monthly limit (a calendar month in Hefei time, UTC+8, which has no daylight saving:
///   the month's spending starts again at 00:00 on the 1st in Hefei), an optional per-payment limit
///   (0: none) and the shop categories the card may pay (a bit per `IMerchantRegistry.Category`;
///   {ALL_CATEGORIES} for every shop). The funder changes them at any time, up or down; a lower
///   monthly limit below what was spent this month stops payments until the next month.
/// - Nothing is locked up: the card holds no money. It pulls from the funder's account with the
///   allowance he gives this contract, which is an outer cap over all his cards (the dApp approves
///   exactly what he chooses, never an unlimited amount); each card's own limits are checked first.
///   Taking the allowance back (`approve(this, 0)`) stops every card of his at once.
/// - Only registered, active shops are paid (a person, a deactivated shop or the holder herself
///   are refused): a card is for shopping, not for moving money to someone.
/// - Freezes and pause: a frozen holder cannot pay (`CityYuanAccountFrozen(holder)`, checked
///   here); a frozen funder or shop is refused by CityYuan with the same error; while CityYuan is
///   paused every payment reverts with `EnforcedPause()`. Nothing is recorded by a refused payment.
/// - The funder stops a card, the holder declines an offer or ends an accepted card, at any time;
///   all three are final (a new card is a new offer).
/// - Passkey accounts and plain addresses work on either side: every check is on `msg.sender`.
/// This contract must be registered with `CityYuan.setCityEscrow` (it records payments made
/// through it as the funder's, like Vouchers); it holds no HCY.
interface IFamilyCards {
    /// @notice Where a card is in its life.
    enum Status {
        None,
        Offered,
        Active,
        Declined,
        Ended,
        Stopped
    }

    /// @notice A card's limits, as the funder sets them.
    /// @param monthlyLimit Most the holder may spend in one calendar month (Hefei time), in fen.
    /// @param perPaymentLimit Most one payment may be, in fen; 0 for no per-payment limit.
    /// @param categories Bit `1 << category` set for each shop category the card may pay.
    struct Limits {
        uint48 monthlyLimit;
        uint32 perPaymentLimit;
        uint8 categories;
    }

    /// @notice A card as the dApp reads it.
    /// @param funder Whose account pays.
    /// @param holder Who pays with the card.
    /// @param limits The card's limits.
    /// @param status Where the card is in its life.
    /// @param spentThisMonth What was spent with it in the current Hefei month, in fen.
    /// @param leftThisMonth What may still be spent this month (never below 0), in fen; the
    /// funder's balance and allowance may be lower.
    struct CardView {
        address funder;
        address holder;
        Limits limits;
        Status status;
        uint256 spentThisMonth;
        uint256 leftThisMonth;
    }

    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when a card id was never offered.
    /// @param cardId The unknown card.
    error FamilyCardsUnknownCard(uint256 cardId);
    /// @notice Thrown when someone other than the card's holder pays with it, accepts, declines or ends it.
    /// @param cardId The card.
    /// @param caller Who called.
    error FamilyCardsNotHolder(uint256 cardId, address caller);
    /// @notice Thrown when someone other than the card's funder changes its limits or stops it.
    /// @param cardId The card.
    /// @param caller Who called.
    error FamilyCardsNotFunder(uint256 cardId, address caller);
    /// @notice Thrown when a call needs the card in another status (e.g. paying with an offer not
    /// accepted yet, or with a stopped card).
    /// @param cardId The card.
    /// @param status Its status now.
    error FamilyCardsWrongStatus(uint256 cardId, Status status);
    /// @notice Thrown when a card would be offered to nobody, to the funder himself or to a contract
    /// that could never pay (this contract, the token).
    /// @param holder The holder asked for.
    error FamilyCardsInvalidHolder(address holder);
    /// @notice Thrown when a monthly limit is zero or a card allows no shop category.
    /// @param limits The limits asked for.
    error FamilyCardsInvalidLimits(Limits limits);
    /// @notice Thrown when a payment of zero is asked for.
    error FamilyCardsZeroAmount();
    /// @notice Thrown when a payment carries no order reference.
    error FamilyCardsMissingReference();
    /// @notice Thrown when the payee is not a registered, active shop (a person, a deactivated shop).
    /// @param payee The payee.
    error FamilyCardsNotShop(address payee);
    /// @notice Thrown when the holder would pay herself (she is a registered shop too).
    /// @param cardId The card.
    error FamilyCardsSelfPayment(uint256 cardId);
    /// @notice Thrown when the shop's category is not one the card may pay.
    /// @param cardId The card.
    /// @param shop The shop.
    /// @param category The shop's category.
    error FamilyCardsCategoryNotAllowed(uint256 cardId, address shop, IMerchantRegistry.Category category);
    /// @notice Thrown when one payment is above the card's per-payment limit.
    /// @param cardId The card.
    /// @param limit The per-payment limit, in fen.
    /// @param amount The payment, in fen.
    error FamilyCardsPerPaymentLimitExceeded(uint256 cardId, uint256 limit, uint256 amount);
    /// @notice Thrown when a payment would take the month's spending above the monthly limit.
    /// @param cardId The card.
    /// @param left What may still be spent this month, in fen.
    /// @param amount The payment, in fen.
    error FamilyCardsMonthlyLimitExceeded(uint256 cardId, uint256 left, uint256 amount);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when `funder` offers card `cardId` to `holder`.
    /// @param cardId The new card.
    /// @param funder Whose account pays.
    /// @param holder Who may accept it.
    /// @param limits Its limits.
    event FamilyCardOffered(uint256 indexed cardId, address indexed funder, address indexed holder, Limits limits);
    /// @notice Emitted when the holder accepts the card: from now on she can pay with it.
    /// @param cardId The card.
    /// @param funder Whose account pays.
    /// @param holder Who accepted.
    event FamilyCardAccepted(uint256 indexed cardId, address indexed funder, address indexed holder);
    /// @notice Emitted when the funder changes the card's limits.
    /// @param cardId The card.
    /// @param funder Who changed them.
    /// @param holder Whose card it is.
    /// @param limits The new limits.
    event FamilyCardLimitsChanged(
        uint256 indexed cardId,
        address indexed funder,
        address indexed holder,
        Limits limits
    );
    /// @notice Emitted when a card closes for good: declined or ended by the holder, or stopped by the funder.
    /// @param cardId The card.
    /// @param funder Whose account paid.
    /// @param holder Who held it.
    /// @param status How it closed: Declined, Ended or Stopped.
    /// @param by Who closed it.
    event FamilyCardClosed(
        uint256 indexed cardId,
        address indexed funder,
        address indexed holder,
        Status status,
        address by
    );
    /// @notice Emitted when the holder pays `shop` with card `cardId`: `amount` left the funder's
    /// account for the shop's order `orderRef`. The shop's receipt shows 亲属卡; the funder sees it.
    /// @param paymentId The CityYuan payment id (`paymentIdOf(funder, shop, orderRef)`) refunds point at.
    /// @param cardId The card.
    /// @param funder Whose account paid.
    /// @param shop Who was paid.
    /// @param holder Who paid with the card.
    /// @param amount How much, in fen.
    /// @param orderRef The shop's order reference.
    event FamilyCardPaid(
        bytes32 paymentId,
        uint256 indexed cardId,
        address indexed funder,
        address indexed shop,
        address holder,
        uint256 amount,
        bytes32 orderRef
    );

    // ───────────────────────────── funder ─────────────────────────────

    /// @notice The caller (the funder) offers `holder` a card paid from the caller's account.
    /// @return cardId The new card (1, 2, 3, …).
    function offer(address holder, Limits calldata limits) external returns (uint256 cardId);

    /// @notice The funder changes the card's limits (offered or active card).
    function changeLimits(uint256 cardId, Limits calldata limits) external;

    /// @notice The funder stops the card (offered or active), for good.
    function stop(uint256 cardId) external;

    // ───────────────────────────── holder ─────────────────────────────

    /// @notice The holder accepts an offered card.
    function accept(uint256 cardId) external;

    /// @notice The holder declines an offered card, for good.
    function decline(uint256 cardId) external;

    /// @notice The holder ends an active card, for good.
    function end(uint256 cardId) external;

    /// @notice The holder pays `shop` `amount` fen for its order `orderRef` from the funder's account.
    /// @return paymentId The CityYuan payment id the shop refunds against (the refund goes to the funder).
    function pay(uint256 cardId, address shop, uint256 amount, bytes32 orderRef) external returns (bytes32 paymentId);

    // ───────────────────────────── reads ─────────────────────────────

    /// @notice Every shop category: the `categories` of a card that may pay any shop.
    function ALL_CATEGORIES() external view returns (uint8);

    /// @notice The token the cards pay in.
    function token() external view returns (address);

    /// @notice The register of shops the cards may pay.
    function registry() external view returns (address);

    /// @notice Number of cards ever offered; ids run from 1 to this.
    function cardCount() external view returns (uint256);

    /// @notice Card `cardId` as it is now (reverts for an unknown card).
    function card(uint256 cardId) external view returns (CardView memory);

    /// @notice The Hefei month (`year * 12 + month - 1`) that `timestamp` falls in: spending counts per such month.
    function hefeiMonth(uint256 timestamp) external pure returns (uint256);
}
