// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Issue 11, Vouchers: each attack the review found, named after it, and the rule that now stops it
// (frozen residents, HCY sent straight to the escrow, refunds of voucher sales).

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {VouchersFixture} from "./VouchersFixture.sol";

contract VouchersIntegrityTest is VouchersFixture {
    bytes32 internal constant ORDER = keccak256("order 2025-06-15 #7");

    uint256 internal dining; // 20 off from 100 at any restaurant, 2 per resident

    function setUp() public override {
        super.setUp();
        dining = _createAsCity(_diningTerms());
        _claim(alice, dining);
        vm.warp(_diningTerms().startsAt);
    }

    // ───────────────────────────── frozen residents ─────────────────────────────

    /// @dev The attack: a frozen resident redeems a 100 %-off voucher. She moves none of her own
    /// money, so the token's freeze never saw it, and the escrow paid the discount for her benefit.
    function test_AttackFrozenResidentRedeemsAHundredPercentVoucher() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.discount = t.minSpend; // the whole price
        uint256 free = _createAsCity(t);
        _claim(alice, free);
        hcy.freeze(alice, "court order 2025-118");
        uint256 budget = vouchers.campaign(free).remainingBudget;
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersAccountFrozen.selector, alice));
        vouchers.redeem(free, noodleShop, t.minSpend, ORDER);
        assertEq(vouchers.campaign(free).remainingBudget, budget, "nothing paid for her");
    }

    function test_AttackFrozenResidentClaimsAVoucher() public {
        hcy.freeze(bob, "court order 2025-119");
        _expectRevertAs(bob, abi.encodeWithSelector(IVouchers.VouchersAccountFrozen.selector, bob));
        vouchers.claim(dining, new bytes32[](0));
    }

    function test_UnfrozenResidentRedeemsAgain() public {
        hcy.freeze(alice, "court order");
        hcy.unfreeze(alice, "lifted");
        (, uint256 discount) = _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, ORDER);
        assertEq(discount, 20 * YUAN, "redeemed after the freeze was lifted");
    }

    /// @dev Compliance cannot stop every resident's vouchers at once by freezing the escrow.
    function test_AttackComplianceFreezesTheVoucherEscrow() public {
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanEscrowNotFreezable.selector, address(vouchers)));
        hcy.freeze(address(vouchers), "wrong address");
        (, uint256 discount) = _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, ORDER);
        assertEq(discount, 20 * YUAN, "vouchers still work");
    }

    // ───────────────────────────── excess rescue ─────────────────────────────

    /// @dev The attack (a mistake, mostly): HCY sent straight to the escrow, not through
    /// `createCampaign`, was lost forever. The admin can now move exactly that excess out.
    function test_AttackHcySentStraightToTheEscrowIsNoLongerLost() public {
        uint256 owed = vouchers.totalOwed();
        vm.prank(bob);
        IERC20(address(hcy)).transfer(address(vouchers), 55 * YUAN);
        assertEq(vouchers.excess(), 55 * YUAN, "excess");
        (address treasury, ) = makeAccount("city treasury");

        vm.expectEmit(true, false, false, true, address(vouchers));
        emit IVouchers.ExcessRescued(treasury, 55 * YUAN);
        uint256 moved = vouchers.rescueExcess(treasury);

        assertEq(moved, 55 * YUAN, "moved");
        assertEq(hcy.balanceOf(treasury), 55 * YUAN, "to the address named in the call");
        assertEq(vouchers.totalOwed(), owed, "nothing owed touched");
        assertEq(hcy.balanceOf(address(vouchers)), owed, "escrow holds exactly what it owes");
        assertEq(vouchers.excess(), 0, "no excess left");
    }

    /// @dev Whatever campaigns did before (claims, redemptions, stops, reclaims) and whatever was sent
    /// straight in, a rescue takes exactly the excess and every campaign is still paid in full.
    function testFuzz_RescueNeverTakesAFenOfWhatIsOwed(uint256 donation, uint256 redemptions, bool stopIt) public {
        donation = bound(donation, 1, 500 * YUAN);
        redemptions = bound(redemptions, 0, 2);
        _claim(bob, dining);
        if (redemptions > 0) _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, ORDER);
        if (redemptions > 1) _redeemWithPermit(bobKey, dining, hotpot, 150 * YUAN, ORDER);
        if (stopIt) {
            vm.prank(guardian);
            vouchers.stop(dining, "budget review");
        }
        vm.prank(carol);
        IERC20(address(hcy)).transfer(address(vouchers), donation);

        uint256 owed = vouchers.totalOwed();
        assertEq(owed, vouchers.campaign(dining).remainingBudget, "owed = sum of remaining budgets");
        assertEq(vouchers.rescueExcess(stranger), donation, "exactly the donation");
        assertEq(hcy.balanceOf(address(vouchers)), owed, "owed left in the escrow");
        vm.expectRevert(IVouchers.VouchersNoExcess.selector);
        vouchers.rescueExcess(stranger);
        if (!stopIt) {
            vm.warp(_diningTerms().endsAt);
            vm.prank(city);
            assertEq(vouchers.reclaim(dining), owed, "the sponsor still gets every fen owed");
        }
        assertEq(hcy.balanceOf(address(vouchers)), 0, "escrow empty once settled");
    }

    function test_RevertWhen_RescueWithNoExcess() public {
        vm.expectRevert(IVouchers.VouchersNoExcess.selector);
        vouchers.rescueExcess(stranger);
    }

    function test_RevertWhen_RescueToZeroAddress() public {
        vm.prank(bob);
        IERC20(address(hcy)).transfer(address(vouchers), 1);
        vm.expectRevert(IVouchers.VouchersZeroAddress.selector);
        vouchers.rescueExcess(address(0));
    }

    function test_RevertWhen_RescueByNonAdmin() public {
        vm.prank(bob);
        IERC20(address(hcy)).transfer(address(vouchers), 1);
        bytes32 adminRole = vouchers.DEFAULT_ADMIN_ROLE();
        _expectMissingRoleAs(guardian, adminRole);
        vouchers.rescueExcess(guardian);
    }

    function test_RevertWhen_RescueToAFrozenAddress() public {
        vm.prank(bob);
        IERC20(address(hcy)).transfer(address(vouchers), 1);
        hcy.freeze(stranger, "court order");
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, stranger));
        vouchers.rescueExcess(stranger);
    }

    // ───────────────────────────── refunds of voucher sales ─────────────────────────────

    /// @dev The attack on the resident: before, a voucher sale had nothing refundable on chain
    /// (`refundable` was 0 for its receipt), so a merchant could not give the money back through the
    /// city's refund path. Now the resident's part is refundable, never more, and the discount stays
    /// spent (the voucher is used, the budget does not grow back).
    function test_AttackVoucherSaleCouldNotBeRefunded() public {
        uint256 aliceBefore = hcy.balanceOf(alice);
        (bytes32 paymentId, uint256 discount) = _redeemWithPermit(aliceKey, dining, noodleShop, 128 * YUAN, ORDER);
        uint256 paid = 128 * YUAN - discount;
        assertEq(hcy.refundable(paymentId), paid, "the resident's part is refundable");

        _expectRevertAs(
            noodleShop,
            abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, paymentId, paid, paid + 1)
        );
        hcy.refund(alice, ORDER, paid + 1);

        uint256 budgetAfterSale = vouchers.campaign(dining).remainingBudget;
        vm.expectEmit(true, true, true, true, address(hcy));
        emit ICityYuan.PaymentRefunded(paymentId, noodleShop, alice, paid);
        vm.prank(noodleShop);
        hcy.refund(alice, ORDER, paid);

        assertEq(hcy.balanceOf(alice), aliceBefore, "resident got back all she paid");
        assertEq(hcy.refundable(paymentId), 0, "nothing more");
        assertEq(vouchers.campaign(dining).remainingBudget, budgetAfterSale, "discount stays spent");
        (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(dining, alice);
        assertEq(redeemed, claimed, "the voucher stays used");
    }

    function test_HundredPercentVoucherSaleHasNothingToRefund() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.discount = t.minSpend;
        uint256 free = _createAsCity(t);
        _claim(bob, free);
        vm.prank(bob);
        (bytes32 paymentId, ) = vouchers.redeem(free, noodleShop, t.minSpend, ORDER);
        assertEq(hcy.refundable(paymentId), 0, "the resident paid nothing");
        _expectRevertAs(
            noodleShop,
            abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, paymentId, 0, 1)
        );
        hcy.refund(bob, ORDER, 1);
    }

    function test_RevertWhen_EscrowNotRegisteredWithTheToken() public {
        hcy.setCityEscrow(address(vouchers), false);
        vm.prank(alice);
        hcy.approve(address(vouchers), 80 * YUAN);
        _expectRevertAs(alice, abi.encodeWithSelector(ICityYuan.CityYuanNotCityEscrow.selector, address(vouchers)));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }
}
