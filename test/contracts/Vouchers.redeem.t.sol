// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Vouchers: redemption at checkout, every rule that stops it, and fuzzing of the money it moves.

import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {VouchersFixture} from "./VouchersFixture.sol";

contract VouchersRedeemTest is VouchersFixture {
    bytes32 internal constant ORDER = keccak256("order 2025-06-15 #42");

    uint256 internal dining; // 20 off from 100 at any restaurant, 2 per resident
    uint256 internal shops; // 15 % up to 30 from 50 at the noodle shop and the hotpot

    function setUp() public override {
        super.setUp();
        dining = _createAsCity(_diningTerms());
        shops = _createAsCity(_percentTerms(_two(noodleShop, hotpot)));
        _claim(alice, dining);
        _claim(alice, shops);
        vm.warp(_diningTerms().startsAt);
    }

    /// @dev What the resident, the shop and the escrow hold before a redemption.
    struct Balances {
        uint256 resident;
        uint256 shop;
        uint256 escrow;
    }

    function _balances(address resident, address shop) internal view returns (Balances memory) {
        return Balances(hcy.balanceOf(resident), hcy.balanceOf(shop), hcy.balanceOf(address(vouchers)));
    }

    /// @dev The redemption moved exactly: the resident paid `price - discount`, the shop got
    /// `price`, the escrow paid `discount`.
    function _assertRedeemMoved(
        Balances memory before,
        address resident,
        address shop,
        uint256 price,
        uint256 discount
    ) internal view {
        assertEq(hcy.balanceOf(resident), before.resident - (price - discount), "resident paid price - discount");
        assertEq(hcy.balanceOf(shop), before.shop + price, "merchant got the price");
        assertEq(hcy.balanceOf(address(vouchers)), before.escrow - discount, "escrow paid the discount");
    }

    /// @dev Alice pays 100 yuan at the noodle shop with her dining voucher and a permit for the 80
    /// she owes, as at checkout; it must revert with exactly `reason`.
    function _dinnerWithPermitReverts(bytes memory reason) internal {
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, address(vouchers), 80 * YUAN, deadline);
        _expectRevertAs(alice, reason);
        vouchers.redeemWithPermit(dining, noodleShop, 100 * YUAN, ORDER, deadline, v, r, s);
    }

    // ───────────────────────────── happy paths ─────────────────────────────

    function test_RedeemWithPermit_PaysMerchantFullPrice() public {
        uint256 price = 128 * YUAN;
        uint256 aliceBefore = hcy.balanceOf(alice);
        uint256 shopBefore = hcy.balanceOf(noodleShop);
        bytes32 expectedId = keccak256(abi.encode(alice, noodleShop, ORDER));

        vm.expectEmit(true, true, true, true, address(vouchers));
        emit IVouchers.VoucherRedeemed(expectedId, alice, noodleShop, price, ORDER, dining, 20 * YUAN);
        (bytes32 paymentId, uint256 discount) = _redeemWithPermit(aliceKey, dining, noodleShop, price, ORDER);

        assertEq(paymentId, expectedId, "payment id as CityYuan computes it");
        assertEq(paymentId, hcy.paymentIdOf(alice, noodleShop, ORDER), "same formula as pay()");
        assertEq(discount, 20 * YUAN, "fixed discount");
        assertEq(hcy.balanceOf(alice), aliceBefore - 108 * YUAN, "resident paid price - discount");
        assertEq(hcy.balanceOf(noodleShop), shopBefore + price, "merchant got the full price");
        assertEq(hcy.balanceOf(address(vouchers)), 2000 * YUAN - 20 * YUAN + 300 * YUAN, "budget paid 20");
        assertEq(vouchers.campaign(dining).remainingBudget, 1980 * YUAN, "remaining budget");
        assertEq(hcy.allowance(alice, address(vouchers)), 0, "exact permit, nothing left approved");
        (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(dining, alice);
        assertEq(claimed, 1, "claimed");
        assertEq(redeemed, 1, "redeemed");
    }

    function test_Redeem_WithExistingAllowance() public {
        vm.prank(alice);
        hcy.approve(address(vouchers), 1000 * YUAN);
        uint256 shopBefore = hcy.balanceOf(hotpot);
        vm.prank(alice);
        (, uint256 discount) = vouchers.redeem(shops, hotpot, 100 * YUAN, ORDER);
        assertEq(discount, 15 * YUAN, "15 % of 100");
        assertEq(hcy.balanceOf(hotpot), shopBefore + 100 * YUAN, "full price");
        assertEq(hcy.allowance(alice, address(vouchers)), 1000 * YUAN - 85 * YUAN, "spent the resident's part");
    }

    function test_Redeem_PercentageIsCapped() public {
        (, uint256 discount) = _redeemWithPermit(aliceKey, shops, hotpot, 1000 * YUAN, ORDER);
        assertEq(discount, 30 * YUAN, "15 % of 1000 capped at 30");
    }

    function test_Redeem_FixedDiscountEqualToPriceResidentPaysNothing() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.minSpend = t.discount; // "a free 20-yuan lunch"
        uint256 id = _createAsCity(t);
        _claim(bob, id);
        uint256 bobBefore = hcy.balanceOf(bob);
        uint256 shopBefore = hcy.balanceOf(hotpot);
        vm.prank(bob);
        vouchers.redeem(id, hotpot, 20 * YUAN, ORDER);
        assertEq(hcy.balanceOf(bob), bobBefore, "nothing from the resident");
        assertEq(hcy.balanceOf(hotpot), shopBefore + 20 * YUAN, "budget paid the whole price");
    }

    function test_RedeemWithPermit_SucceedsWhenPermitFrontRun() public {
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, address(vouchers), 80 * YUAN, deadline);
        vm.prank(stranger);
        hcy.permit(alice, address(vouchers), 80 * YUAN, deadline, v, r, s);
        vm.prank(alice);
        vouchers.redeemWithPermit(dining, hotpot, 100 * YUAN, ORDER, deadline, v, r, s);
        assertEq(hcy.allowance(alice, address(vouchers)), 0, "front-run permit used up");
    }

    function test_Redeem_SecondVoucherOfTheLimit() public {
        _claim(alice, dining);
        _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, ORDER);
        _redeemWithPermit(aliceKey, dining, hotpot, 100 * YUAN, keccak256("another order"));
        (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(dining, alice);
        assertEq(claimed, 2, "two claimed");
        assertEq(redeemed, 2, "two redeemed");
    }

    // ───────────────────────────── rules ─────────────────────────────

    function test_RevertWhen_MerchantOutsideCampaign() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersMerchantNotInCampaign.selector, shops, grocer));
        vouchers.redeem(shops, grocer, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_WrongCategory() public {
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(
                IVouchers.VouchersCategoryNotInCampaign.selector,
                dining,
                grocer,
                IMerchantRegistry.Category.Grocery
            )
        );
        vouchers.redeem(dining, grocer, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_BelowMinimumSpend() public {
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(IVouchers.VouchersBelowMinimumSpend.selector, dining, 100 * YUAN - 1, 100 * YUAN)
        );
        vouchers.redeem(dining, noodleShop, 100 * YUAN - 1, ORDER);
    }

    function test_RevertWhen_BeforeStart() public {
        uint256 startsAt = _diningTerms().startsAt;
        vm.warp(startsAt - 1);
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(IVouchers.VouchersNotStarted.selector, dining, startsAt, startsAt - 1)
        );
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_AfterEnd() public {
        uint256 endsAt = _diningTerms().endsAt;
        vm.warp(endsAt);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersEnded.selector, dining, endsAt, endsAt));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_BeyondPerResidentLimit() public {
        // The limit caps claims (see VouchersTest); redemptions are capped by claims: with its one
        // voucher of `shops` used, alice cannot redeem a second time.
        _redeemWithPermit(aliceKey, shops, hotpot, 100 * YUAN, ORDER);
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(IVouchers.VouchersPerResidentLimitReached.selector, shops, alice, 1)
        );
        vouchers.claim(shops, new bytes32[](0));
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersNoVoucher.selector, shops, alice));
        vouchers.redeem(shops, hotpot, 100 * YUAN, keccak256("second"));
    }

    function test_RevertWhen_TwiceWithOneVoucher() public {
        _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, ORDER);
        vm.prank(alice);
        hcy.approve(address(vouchers), 1000 * YUAN);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersNoVoucher.selector, dining, alice));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_NeverClaimed() public {
        _expectRevertAs(bob, abi.encodeWithSelector(IVouchers.VouchersNoVoucher.selector, dining, bob));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_SupplyGone() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.totalVouchers = 1;
        uint256 id = _createAsCity(t);
        _claim(bob, id);
        _expectRevertAs(carol, abi.encodeWithSelector(IVouchers.VouchersSupplyExhausted.selector, id, 1));
        vouchers.claim(id, new bytes32[](0));
        vm.prank(carol); // carol got none, so there is nothing to redeem
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersNoVoucher.selector, id, carol));
        vouchers.redeem(id, hotpot, 100 * YUAN, ORDER);
    }

    /// @dev The budget is sized `totalVouchers * maxDiscount`, so the rules alone never exhaust it;
    /// the check is the last line of defence. Force a short budget to show it holds.
    function test_RevertWhen_BudgetGone() public {
        bytes32 slot = _budgetSlot(dining);
        bytes32 word = vm.load(address(vouchers), slot);
        // Keep the rest of the word, set remainingBudget (low 96 bits) to 19.99 yuan.
        vm.store(address(vouchers), slot, bytes32(((uint256(word) >> 96) << 96) | (20 * YUAN - 1)));
        assertEq(vouchers.campaign(dining).remainingBudget, 20 * YUAN - 1, "budget short of one discount");
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(IVouchers.VouchersBudgetExceeded.selector, dining, 20 * YUAN - 1, 20 * YUAN)
        );
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_DeactivatedMerchant() public {
        registry.deactivate(noodleShop);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersMerchantInactive.selector, noodleShop));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersMerchantInactive.selector, stranger));
        vouchers.redeem(dining, stranger, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_FrozenResident() public {
        hcy.freeze(alice, "court order");
        _dinnerWithPermitReverts(abi.encodeWithSelector(IVouchers.VouchersAccountFrozen.selector, alice));
    }

    function test_RevertWhen_FrozenMerchant() public {
        hcy.freeze(noodleShop, "investigation");
        _dinnerWithPermitReverts(abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, noodleShop));
    }

    function test_RevertWhen_TokenPaused() public {
        hcy.pause();
        _dinnerWithPermitReverts(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
    }

    function test_RevertWhen_StopThenRedeem() public {
        vm.prank(guardian);
        vouchers.stop(dining, "fraud ring");
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersCampaignStopped.selector, dining));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_PermitExpired() public {
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, address(vouchers), 80 * YUAN, deadline);
        _expectRevertAs(alice, abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        vouchers.redeemWithPermit(dining, noodleShop, 100 * YUAN, ORDER, deadline, v, r, s);
    }

    function test_RevertWhen_PermitWrongSigner() public {
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = _signPermitFor(bobKey, alice, address(vouchers), 80 * YUAN, deadline);
        _expectRevertAs(alice, abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, bob, alice));
        vouchers.redeemWithPermit(dining, noodleShop, 100 * YUAN, ORDER, deadline, v, r, s);
    }

    function test_RevertWhen_PermitForMoreThanOwed() public {
        // The contract asks the token to check a permit for exactly price - discount (80 yuan); a
        // permit signed for the full price does not verify.
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(aliceKey, address(vouchers), 100 * YUAN, deadline);
        vm.prank(alice);
        vm.expectRevert(); // ERC2612InvalidSigner(<address recovered from the mismatched digest>, alice)
        vouchers.redeemWithPermit(dining, noodleShop, 100 * YUAN, ORDER, deadline, v, r, s);
        assertEq(hcy.allowance(alice, address(vouchers)), 0, "no allowance granted");
    }

    function test_RevertWhen_PayingOwnMerchantAddress() public {
        registry.register(alice, "alice's stall", IMerchantRegistry.Category.Dining);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersSelfPayment.selector, alice));
        vouchers.redeem(dining, alice, 100 * YUAN, ORDER);
    }

    function test_RevertWhen_MissingOrderRef() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersMissingOrderRef.selector));
        vouchers.redeem(dining, noodleShop, 100 * YUAN, bytes32(0));
    }

    function test_RevertWhen_ZeroDiscount() public {
        IVouchers.CampaignTerms memory t = _percentTerms(_one(hotpot));
        t.discount = 1; // 0.01 %
        t.minSpend = 1;
        uint256 id = _createAsCity(t);
        _claim(bob, id);
        _expectRevertAs(bob, abi.encodeWithSelector(IVouchers.VouchersZeroDiscount.selector, id, 99 * YUAN));
        vouchers.redeem(id, hotpot, 99 * YUAN, ORDER); // 0.01 % of 99.00 rounds down to 0
    }

    function test_RevertWhen_RedeemUnknownCampaign() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersUnknownCampaign.selector, 99));
        vouchers.redeem(99, noodleShop, 100 * YUAN, ORDER);
    }

    // ───────────────────────────── fuzz ─────────────────────────────

    /// @dev Any percentage, cap, minimum and price: the resident pays exactly price - discount,
    /// the budget pays exactly the discount, the merchant gets exactly the price, and the discount
    /// is never above the cap, the percentage of the price, or the price.
    function testFuzz_RedeemMovesExactAmounts(uint256 bps, uint256 cap, uint256 minSpend, uint256 price) public {
        bps = bound(bps, 1, 10_000);
        cap = bound(cap, 1, 500 * YUAN);
        minSpend = bound(minSpend, 0, 900 * YUAN);
        price = bound(price, minSpend, 1000 * YUAN);
        vm.assume((price * bps) / 10_000 > 0);

        IVouchers.CampaignTerms memory t = _percentTerms(_one(hotpot));
        t.discount = uint64(bps);
        t.cap = uint64(cap);
        t.minSpend = uint64(minSpend);
        uint256 id = _createAsCity(t);
        _claim(bob, id);

        Balances memory before = _balances(bob, hotpot);
        uint256 budgetBefore = vouchers.campaign(id).remainingBudget;
        (, uint256 discount) = _redeemWithPermit(bobKey, id, hotpot, price, ORDER);

        uint256 expected = (price * bps) / 10_000;
        if (expected > cap) expected = cap;
        assertEq(discount, expected, "discount = min(price x bps, cap)");
        assertLe(discount, price, "never more than the price");
        _assertRedeemMoved(before, bob, hotpot, price, discount);
        assertEq(vouchers.campaign(id).remainingBudget, budgetBefore - discount, "budget paid the discount");
    }

    /// @dev Fixed discounts: any discount, minimum and price at or above it.
    function testFuzz_FixedRedeemMovesExactAmounts(uint256 discount, uint256 minSpend, uint256 price) public {
        discount = bound(discount, 1, 200 * YUAN);
        minSpend = bound(minSpend, discount, 400 * YUAN);
        price = bound(price, minSpend, 1000 * YUAN);
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.discount = uint64(discount);
        t.minSpend = uint64(minSpend);
        uint256 id = _createAsCity(t);
        _claim(carol, id);

        Balances memory before = _balances(carol, noodleShop);
        vm.prank(carol);
        hcy.approve(address(vouchers), price - discount);
        vm.prank(carol);
        (, uint256 paid) = vouchers.redeem(id, noodleShop, price, ORDER);
        assertEq(paid, discount, "fixed discount");
        _assertRedeemMoved(before, carol, noodleShop, price, discount);
    }

    /// @dev Redemption is possible exactly inside [startsAt, endsAt).
    function testFuzz_RedeemOnlyInsideWindow(uint256 when) public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        when = bound(when, T0, uint256(t.endsAt) + 3 days);
        vm.warp(when);
        vm.prank(alice);
        hcy.approve(address(vouchers), 80 * YUAN);
        if (when < t.startsAt) {
            vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersNotStarted.selector, dining, t.startsAt, when));
        } else if (when >= t.endsAt) {
            vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersEnded.selector, dining, t.endsAt, when));
        }
        vm.prank(alice);
        vouchers.redeem(dining, noodleShop, 100 * YUAN, ORDER);
    }
}
