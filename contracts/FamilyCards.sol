// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// 亲属卡 (family cards): a son offers his mother a card paid from his own account, with a monthly
// limit (Hefei calendar month), an optional per-payment limit and shop categories; she pays
// registered shops with it; he changes the limits or stops it at any time, she declines or ends it.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";
import {IFamilyCards} from "./interfaces/IFamilyCards.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";

/// @title Hefei City family cards (亲属卡)
/// @notice See {IFamilyCards}.
/// @dev **Storage and gas.** A payment reads the card's two slots (`Card`: funder, limits, status;
/// `Spending`: holder, month, spent) and rewrites `Spending` only. The month is the Hefei calendar
/// month computed from the block time (days to civil date, Howard Hinnant's algorithm), so no
/// keeper has to reset anything on the 1st: the first payment of a new month finds an old month in
/// `Spending` and counts from zero.
///
/// **Who can take what.** Only the holder can pay, only registered active shops are paid, and only
/// within the card's limits and the funder's allowance to this contract. The funder's money never
/// passes through this contract (CityYuan moves it from him to the shop), so a bug here could at
/// worst pay a registered shop within the funder's allowance, never send his money elsewhere.
contract FamilyCards is IFamilyCards {
    using SafeERC20 for IERC20;

    // ───────────────────────────── constants ─────────────────────────────

    /// @inheritdoc IFamilyCards
    /// @dev The registry has 8 categories (Dining … Other), one bit each.
    uint8 public constant ALL_CATEGORIES = type(uint8).max;
    /// @dev Hefei keeps China Standard Time, UTC+8, all year.
    uint256 private constant _HEFEI_OFFSET = 8 hours;

    // ───────────────────────────── storage ─────────────────────────────

    /// @dev Written when the card is offered, its limits change or it closes; read by every payment.
    struct Card {
        address funder;
        uint48 monthlyLimit;
        uint32 perPaymentLimit;
        uint8 categories;
        Status status;
    }

    /// @dev What the current month's payments spent; rewritten by every payment.
    struct Spending {
        address holder;
        uint32 month;
        uint64 spent;
    }

    ICityYuan private immutable _token;
    IMerchantRegistry private immutable _registry;
    uint256 private _cardCount;
    mapping(uint256 cardId => Card) private _cards;
    mapping(uint256 cardId => Spending) private _spending;

    /// @param token_ The city's HCY.
    /// @param registry_ The city's register of shops.
    constructor(ICityYuan token_, IMerchantRegistry registry_) {
        _token = token_;
        _registry = registry_;
    }

    // ───────────────────────────── funder ─────────────────────────────

    /// @inheritdoc IFamilyCards
    function offer(address holder, Limits calldata limits) external returns (uint256 cardId) {
        address funder = msg.sender;
        if (holder == address(0) || holder == funder || holder == address(this) || holder == address(_token)) {
            revert FamilyCardsInvalidHolder(holder);
        }
        _checkLimits(limits);
        cardId = ++_cardCount;
        _cards[cardId] = Card({
            funder: funder,
            monthlyLimit: limits.monthlyLimit,
            perPaymentLimit: limits.perPaymentLimit,
            categories: limits.categories,
            status: Status.Offered
        });
        _spending[cardId] = Spending({holder: holder, month: 0, spent: 0});
        emit FamilyCardOffered(cardId, funder, holder, limits);
    }

    /// @inheritdoc IFamilyCards
    function changeLimits(uint256 cardId, Limits calldata limits) external {
        Card storage c = _open(cardId);
        if (msg.sender != c.funder) revert FamilyCardsNotFunder(cardId, msg.sender);
        _checkLimits(limits);
        c.monthlyLimit = limits.monthlyLimit;
        c.perPaymentLimit = limits.perPaymentLimit;
        c.categories = limits.categories;
        emit FamilyCardLimitsChanged(cardId, msg.sender, _spending[cardId].holder, limits);
    }

    /// @inheritdoc IFamilyCards
    function stop(uint256 cardId) external {
        Card storage c = _open(cardId);
        if (msg.sender != c.funder) revert FamilyCardsNotFunder(cardId, msg.sender);
        _close(cardId, c, Status.Stopped);
    }

    // ───────────────────────────── holder ─────────────────────────────

    /// @inheritdoc IFamilyCards
    function accept(uint256 cardId) external {
        Card storage c = _asHolder(cardId, Status.Offered);
        c.status = Status.Active;
        emit FamilyCardAccepted(cardId, c.funder, msg.sender);
    }

    /// @inheritdoc IFamilyCards
    function decline(uint256 cardId) external {
        _close(cardId, _asHolder(cardId, Status.Offered), Status.Declined);
    }

    /// @inheritdoc IFamilyCards
    function end(uint256 cardId) external {
        _close(cardId, _asHolder(cardId, Status.Active), Status.Ended);
    }

    /// @inheritdoc IFamilyCards
    function pay(uint256 cardId, address shop, uint256 amount, bytes32 orderRef) external returns (bytes32 paymentId) {
        if (amount == 0) revert FamilyCardsZeroAmount();
        if (orderRef == bytes32(0)) revert FamilyCardsMissingReference();
        (address funder, uint256 month, uint256 spentAfter) = _checkPayment(cardId, shop, amount);
        // spentAfter <= monthlyLimit < 2^48 and month < 2^32 for the next 350 million years.
        _spending[cardId] = Spending({holder: msg.sender, month: uint32(month), spent: uint64(spentAfter)});
        IERC20(address(_token)).safeTransferFrom(funder, shop, amount);
        paymentId = _token.recordEscrowPayment(funder, shop, orderRef, amount);
        emit FamilyCardPaid(paymentId, cardId, funder, shop, msg.sender, amount, orderRef);
    }

    // ───────────────────────────── reads ─────────────────────────────

    /// @inheritdoc IFamilyCards
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IFamilyCards
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IFamilyCards
    function cardCount() external view returns (uint256) {
        return _cardCount;
    }

    /// @inheritdoc IFamilyCards
    function card(uint256 cardId) external view returns (CardView memory view_) {
        Card memory c = _cards[cardId];
        if (c.status == Status.None) revert FamilyCardsUnknownCard(cardId);
        Spending memory s = _spending[cardId];
        uint256 spent = s.month == _hefeiMonth(block.timestamp) ? s.spent : 0;
        view_ = CardView({
            funder: c.funder,
            holder: s.holder,
            limits: Limits({
                monthlyLimit: c.monthlyLimit,
                perPaymentLimit: c.perPaymentLimit,
                categories: c.categories
            }),
            status: c.status,
            spentThisMonth: spent,
            leftThisMonth: spent < c.monthlyLimit ? c.monthlyLimit - spent : 0
        });
    }

    /// @inheritdoc IFamilyCards
    function hefeiMonth(uint256 timestamp) external pure returns (uint256) {
        return _hefeiMonth(timestamp);
    }

    // ───────────────────────────── internal ─────────────────────────────

    /// @dev Every check of a payment by the caller with card `cardId`, in the order the errors are
    /// documented; returns whose account pays, the Hefei month and what it will have spent after it.
    function _checkPayment(
        uint256 cardId,
        address shop,
        uint256 amount
    ) private view returns (address funder, uint256 month, uint256 spentAfter) {
        Card memory c = _cards[cardId];
        Spending memory s = _spending[cardId];
        if (c.status == Status.None) revert FamilyCardsUnknownCard(cardId);
        address holder = msg.sender;
        if (holder != s.holder) revert FamilyCardsNotHolder(cardId, holder);
        if (c.status != Status.Active) revert FamilyCardsWrongStatus(cardId, c.status);
        // The funder's and the shop's freezes are CityYuan's to check when it moves the money; the
        // holder moves none of her own, so hers is checked here.
        if (_token.isFrozen(holder)) revert ICityYuan.CityYuanAccountFrozen(holder);
        if (shop == holder) revert FamilyCardsSelfPayment(cardId);
        (IMerchantRegistry.Category category, bool active) = _registry.categoryOf(shop);
        if (!active) revert FamilyCardsNotShop(shop);
        if ((c.categories >> uint8(category)) & 1 == 0) revert FamilyCardsCategoryNotAllowed(cardId, shop, category);
        if (c.perPaymentLimit != 0 && amount > c.perPaymentLimit) {
            revert FamilyCardsPerPaymentLimitExceeded(cardId, c.perPaymentLimit, amount);
        }
        month = _hefeiMonth(block.timestamp);
        uint256 spent = s.month == month ? s.spent : 0;
        uint256 left = spent < c.monthlyLimit ? c.monthlyLimit - spent : 0;
        if (amount > left) revert FamilyCardsMonthlyLimitExceeded(cardId, left, amount);
        return (c.funder, month, spent + amount);
    }

    /// @dev A card that exists and is still offered or active (the funder may change or stop it).
    function _open(uint256 cardId) private view returns (Card storage c) {
        c = _cards[cardId];
        Status status = c.status;
        if (status == Status.None) revert FamilyCardsUnknownCard(cardId);
        if (status != Status.Offered && status != Status.Active) revert FamilyCardsWrongStatus(cardId, status);
    }

    /// @dev The card, when the caller is its holder and it is in `status`.
    function _asHolder(uint256 cardId, Status status) private view returns (Card storage c) {
        c = _cards[cardId];
        if (c.status == Status.None) revert FamilyCardsUnknownCard(cardId);
        if (msg.sender != _spending[cardId].holder) revert FamilyCardsNotHolder(cardId, msg.sender);
        if (c.status != status) revert FamilyCardsWrongStatus(cardId, c.status);
    }

    function _close(uint256 cardId, Card storage c, Status status) private {
        c.status = status;
        emit FamilyCardClosed(cardId, c.funder, _spending[cardId].holder, status, msg.sender);
    }

    function _checkLimits(Limits calldata limits) private pure {
        if (limits.monthlyLimit == 0 || limits.categories == 0) revert FamilyCardsInvalidLimits(limits);
    }

    /// @dev `year * 12 + month - 1` of the Hefei calendar date at `timestamp`: the civil date of
    /// the day number (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil
    /// inverted), for days on or after 1970-01-01, which every block time is.
    function _hefeiMonth(uint256 timestamp) private pure returns (uint256) {
        unchecked {
            uint256 z = (timestamp + _HEFEI_OFFSET) / 1 days + 719_468; // days since 0000-03-01
            uint256 era = z / 146_097; // 400-year eras
            uint256 doe = z - era * 146_097; // day of era, [0, 146096]
            uint256 yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // year of era
            uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1
            uint256 mp = (5 * doy + 2) / 153; // month from March, [0, 11]
            uint256 month = mp < 10 ? mp + 3 : mp - 9; // [1, 12]
            uint256 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
            return year * 12 + month - 1;
        }
    }
}
