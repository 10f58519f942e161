// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the family card and delayed transfer tests: a CityYuan, a MerchantRegistry
// with a restaurant and a grocery, both contracts registered as city escrows, and a family (a son
// who funds, his mother who holds the card) and a stranger, all holding HCY.

import {CityYuan} from "../../../contracts/CityYuan.sol";
import {DelayedTransfers} from "../../../contracts/DelayedTransfers.sol";
import {FamilyCards} from "../../../contracts/FamilyCards.sol";
import {ICityYuan} from "../../../contracts/interfaces/ICityYuan.sol";
import {IFamilyCards} from "../../../contracts/interfaces/IFamilyCards.sol";
import {IMerchantRegistry} from "../../../contracts/interfaces/IMerchantRegistry.sol";
import {MerchantRegistry} from "../../../contracts/MerchantRegistry.sol";
import {deployCityYuanOwnedBy, issueWithFreshReport} from "./EscrowToken.sol";
import {TestBase} from "./Vm.sol";

abstract contract FamilyMoneyFixture is TestBase {
    /// @dev 2027-01-15 12:00 in Hefei (04:00 UTC).
    uint256 internal constant T0 = 1_799_985_600;
    /// @dev 2027-02-01 00:00 in Hefei (2027-01-31 16:00 UTC): a new month for the cards.
    uint256 internal constant FEB_1_HEFEI = 1_801_411_200;
    uint256 internal constant YUAN = 100; // fen
    bytes32 internal constant ORDER_REF = keccak256("ORDER-2027-01-15-0001");

    CityYuan internal hcy;
    MerchantRegistry internal registry;
    FamilyCards internal cards;
    DelayedTransfers internal delayed;

    address internal son;
    uint256 internal sonKey;
    address internal mother;
    address internal daughter;
    address internal stranger;
    address internal noodleShop;
    address internal grocer;

    function setUp() public virtual {
        vm.warp(T0);
        (son, sonKey) = makeAccount("son");
        (mother, ) = makeAccount("mother");
        (daughter, ) = makeAccount("daughter");
        (stranger, ) = makeAccount("stranger");
        (noodleShop, ) = makeAccount("noodle shop");
        (grocer, ) = makeAccount("grocer");

        hcy = deployCityYuanOwnedBy(address(this), 0);
        registry = new MerchantRegistry(address(this), 0);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.register(noodleShop, unicode"老乡鸡面馆", IMerchantRegistry.Category.Dining);
        registry.register(grocer, unicode"合家福超市", IMerchantRegistry.Category.Grocery);

        cards = new FamilyCards(ICityYuan(address(hcy)), IMerchantRegistry(address(registry)));
        delayed = new DelayedTransfers(ICityYuan(address(hcy)), IMerchantRegistry(address(registry)));
        hcy.setCityEscrow(address(cards), true);
        hcy.setCityEscrow(address(delayed), true);

        _fund(son, 10_000 * YUAN);
        _fund(mother, 100 * YUAN);
        _fund(daughter, 1_000 * YUAN);
    }

    uint256 private _deposits;

    function _fund(address account, uint256 amount) internal {
        issueWithFreshReport(hcy, account, amount, keccak256(abi.encode("FAMILY-DEPOSIT", ++_deposits)));
    }

    function _freeze(address account) internal {
        hcy.freeze(account, "court order 2027-007");
    }

    function _unfreeze(address account) internal {
        hcy.unfreeze(account, "lifted");
    }

    function _limits(
        uint256 monthly,
        uint256 perPayment,
        uint8 categories
    ) internal pure returns (IFamilyCards.Limits memory) {
        return
            IFamilyCards.Limits({
                monthlyLimit: uint48(monthly),
                perPaymentLimit: uint32(perPayment),
                categories: categories
            });
    }

    /// @dev A card from `son` to `mother` (monthly 500 yuan, no per-payment limit, every shop),
    /// accepted, and `son`'s allowance to the cards set to `allowance`.
    function _activeCard(uint256 allowance) internal returns (uint256 cardId) {
        cardId = _activeCardWith(_limits(500 * YUAN, 0, cards.ALL_CATEGORIES()), allowance);
    }

    function _activeCardWith(IFamilyCards.Limits memory limits, uint256 allowance) internal returns (uint256 cardId) {
        vm.startPrank(son);
        hcy.approve(address(cards), allowance);
        cardId = cards.offer(mother, limits);
        vm.stopPrank();
        vm.prank(mother);
        cards.accept(cardId);
    }

    /// @dev `from` sends `amount` to `to` with `delay`, approving exactly that first.
    function _send(address from, address to, uint256 amount, uint256 delay) internal returns (uint256 transferId) {
        vm.startPrank(from);
        hcy.approve(address(delayed), amount);
        transferId = delayed.send(to, amount, delay);
        vm.stopPrank();
    }
}
