// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Issue 11, Vouchers: each attack the review found, named after it, and the rule that now stops it
// (frozen residents, HCY sent straight to the escrow, refunds of voucher sales: issue 21).

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

    // ───────────────────────────── refunds of voucher sales (issue 21) ─────────────────────────────

    /// @dev Sells to alice at the noodle shop with her voucher; the shop has a standing allowance
    /// for refunds. Returns what she paid and the discount.
    function _saleToAlice(uint256 price) internal returns (uint256 paid, uint256 discount) {
        (, discount) = _redeemWithPermit(aliceKey, dining, noodleShop, price, ORDER);
        paid = price - discount;
        vm.prank(noodleShop);
        hcy.approve(address(vouchers), type(uint256).max);
    }

    function _refundAs(address merchant, address payer, uint256 price) internal returns (uint256, uint256) {
        vm.prank(merchant);
        return vouchers.refundSale(dining, payer, ORDER, price);
    }

    /// @dev The attack on the city's budget: before, a full refund (CityYuan's `refund` of the
    /// resident's part) left the discount with the shop: 20 yuan of the budget per voucher for no
    /// sale. Now the refund goes through the escrow, which takes the whole price back from the shop:
    /// the resident gets what she paid, the campaign its discount, and she has her voucher again.
    function test_AttackFullRefundLeftTheDiscountWithTheShop() public {
        uint256 aliceBefore = hcy.balanceOf(alice);
        uint256 shopBefore = hcy.balanceOf(noodleShop);
        uint256 budgetBefore = vouchers.campaign(dining).remainingBudget;
        uint256 owedBefore = vouchers.totalOwed();
        (uint256 paid, uint256 discount) = _saleToAlice(128 * YUAN);
        assertEq(discount, 20 * YUAN, "discount, 20 * YUAN");
        assertTrue(vouchers.saleRefundable(dining, alice, noodleShop, ORDER, 128 * YUAN), "on record");

        bytes32 paymentId = hcy.paymentIdOf(alice, noodleShop, ORDER);
        vm.expectEmit(true, true, true, true, address(vouchers));
        emit IVouchers.VoucherSaleRefunded(paymentId, alice, noodleShop, dining, paid, discount);
        (uint256 refunded, uint256 returned) = _refundAs(noodleShop, alice, 128 * YUAN);

        assertEq(refunded, paid, "she gets what she paid");
        assertEq(returned, discount, "the campaign gets the discount");
        assertEq(hcy.balanceOf(alice), aliceBefore, "resident whole");
        assertEq(hcy.balanceOf(noodleShop), shopBefore, "shop keeps nothing of a sale that did not happen");
        assertEq(vouchers.campaign(dining).remainingBudget, budgetBefore, "budget back");
        assertEq(vouchers.totalOwed(), owedBefore, "escrow owes it again");
        assertEq(vouchers.excess(), 0, "and holds exactly that");
        (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(dining, alice);
        assertEq(redeemed, 0, "her voucher is unused again");
        assertEq(claimed, 1, "claimed, 1");
        assertFalse(vouchers.saleRefundable(dining, alice, noodleShop, ORDER, 128 * YUAN), "refunded once");
        // CityYuan has no record of the sale: its refund path cannot pay her a second time.
        _expectRevertAs(
            noodleShop,
            abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, paymentId, 0, 1)
        );
        hcy.refund(alice, ORDER, 1);
        // The voucher she got back works again.
        _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, ORDER);
        (, redeemed) = vouchers.holdingOf(dining, alice);
        assertEq(redeemed, 1, "redeemed, 1");
    }

    function test_RevertWhen_RefundSaleTwice() public {
        _saleToAlice(128 * YUAN);
        _refundAs(noodleShop, alice, 128 * YUAN);
        _expectRevertAs(
            noodleShop,
            abi.encodeWithSelector(
                IVouchers.VouchersSaleNotFound.selector,
                dining,
                alice,
                noodleShop,
                ORDER,
                128 * YUAN
            )
        );
        vouchers.refundSale(dining, alice, ORDER, 128 * YUAN);
    }

    /// @dev Another shop (or anyone) cannot "refund" someone else's sale to pull the discount back
    /// into a campaign or give a voucher back.
    function test_RevertWhen_RefundSaleByAnotherMerchant() public {
        _saleToAlice(128 * YUAN);
        vm.prank(hotpot);
        hcy.approve(address(vouchers), type(uint256).max);
        _expectRevertAs(
            hotpot,
            abi.encodeWithSelector(IVouchers.VouchersSaleNotFound.selector, dining, alice, hotpot, ORDER, 128 * YUAN)
        );
        vouchers.refundSale(dining, alice, ORDER, 128 * YUAN);
    }

    /// @dev A price other than the sale's would change the discount returned: refused.
    function testFuzz_RevertWhen_RefundSaleAtAnotherPrice(uint256 price) public {
        _saleToAlice(128 * YUAN);
        price = bound(price, 0, 10_000 * YUAN);
        vm.assume(price != 128 * YUAN);
        _expectRevertAs(
            noodleShop,
            abi.encodeWithSelector(IVouchers.VouchersSaleNotFound.selector, dining, alice, noodleShop, ORDER, price)
        );
        vouchers.refundSale(dining, alice, ORDER, price);
    }

    function test_RevertWhen_RefundSaleWithoutAllowance() public {
        _redeemWithPermit(aliceKey, dining, noodleShop, 128 * YUAN, ORDER);
        vm.expectRevert(
            abi.encodeWithSignature(
                "ERC20InsufficientAllowance(address,uint256,uint256)",
                address(vouchers),
                0,
                108 * YUAN
            )
        );
        _refundAs(noodleShop, alice, 128 * YUAN);
    }

    /// @dev The refund with the shop's permit for exactly the price, as the dApp sends it.
    function test_RefundSaleWithPermit() public {
        (, uint256 discount) = _redeemWithPermit(aliceKey, dining, noodleShop, 150 * YUAN, ORDER);
        uint256 aliceBefore = hcy.balanceOf(alice);
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(noodleShopKey, address(vouchers), 150 * YUAN, deadline);
        vm.prank(noodleShop);
        vouchers.refundSaleWithPermit(dining, alice, ORDER, 150 * YUAN, deadline, v, r, s);
        assertEq(
            hcy.balanceOf(alice) - aliceBefore,
            150 * YUAN - discount,
            "balanceOf(alice) - aliceBefore, 150 * YUAN - discount"
        );
        assertEq(hcy.allowance(noodleShop, address(vouchers)), 0, "no allowance left standing");
    }

    /// @dev A refund after the campaign ended and the city reclaimed its budget: the discount goes
    /// back into the campaign, which reopens for the city to reclaim it; the voucher is void.
    function test_RefundAfterReclaimReopensTheCampaignForItsSponsor() public {
        (, uint256 discount) = _saleToAlice(128 * YUAN);
        vm.warp(_diningTerms().endsAt);
        vm.prank(city);
        vouchers.reclaim(dining);
        assertEq(
            uint8(vouchers.campaign(dining).status),
            uint8(IVouchers.CampaignStatus.Settled),
            "uint8(campaign(dining).status), uint8(IVouchers.CampaignStat"
        );
        _refundAs(noodleShop, alice, 128 * YUAN);
        assertEq(vouchers.campaign(dining).remainingBudget, discount, "campaign(dining).remainingBudget, discount");
        assertEq(
            uint8(vouchers.campaign(dining).status),
            uint8(IVouchers.CampaignStatus.Ended),
            "uint8(campaign(dining).status), uint8(IVouchers.CampaignStat"
        );
        uint256 cityBefore = hcy.balanceOf(city);
        vm.prank(city);
        assertEq(vouchers.reclaim(dining), discount, "reclaim(dining), discount");
        assertEq(hcy.balanceOf(city) - cityBefore, discount, "the city gets its discount back");
        assertEq(vouchers.totalOwed(), 0, "totalOwed(), 0");
    }

    /// @dev Two sales with her two vouchers; refunding the older keeps the newer refundable.
    function test_RefundOfAnOlderSaleKeepsTheNewerOne() public {
        _claim(alice, dining);
        _redeemWithPermit(aliceKey, dining, noodleShop, 128 * YUAN, ORDER);
        bytes32 second = keccak256("order 2025-06-15 #8");
        _redeemWithPermit(aliceKey, dining, noodleShop, 100 * YUAN, second);
        vm.prank(noodleShop);
        hcy.approve(address(vouchers), type(uint256).max);
        _refundAs(noodleShop, alice, 128 * YUAN);
        assertTrue(vouchers.saleRefundable(dining, alice, noodleShop, second, 100 * YUAN), "newer still on record");
        assertFalse(
            vouchers.saleRefundable(dining, alice, noodleShop, ORDER, 128 * YUAN),
            "saleRefundable(dining, alice, noodleShop, ORDER, 128 * YUAN)"
        );
        vm.prank(noodleShop);
        vouchers.refundSale(dining, alice, second, 100 * YUAN);
        (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(dining, alice);
        assertEq(claimed, 2, "claimed, 2");
        assertEq(redeemed, 0, "both vouchers hers again");
    }

    /// @dev A 100 %-off sale: she paid nothing and gets nothing; the campaign gets the whole price.
    function test_RefundOfAHundredPercentSaleReturnsOnlyTheDiscount() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.discount = t.minSpend;
        uint256 free = _createAsCity(t);
        _claim(bob, free);
        vm.prank(bob);
        vouchers.redeem(free, noodleShop, t.minSpend, ORDER);
        uint256 bobBefore = hcy.balanceOf(bob);
        vm.prank(noodleShop);
        hcy.approve(address(vouchers), t.minSpend);
        vm.prank(noodleShop);
        (uint256 paid, uint256 discount) = vouchers.refundSale(free, bob, ORDER, t.minSpend);
        assertEq(paid, 0, "paid, 0");
        assertEq(discount, t.minSpend, "discount, t.minSpend");
        assertEq(hcy.balanceOf(bob), bobBefore, "balanceOf(bob), bobBefore");
        assertEq(
            vouchers.campaign(free).remainingBudget,
            vouchers.campaign(free).budget,
            "campaign(free).remainingBudget, campaign(free).budget"
        );
    }

    /// @dev Any price, any sale: sale then full refund leaves every balance and the budget as before.
    function testFuzz_SaleThenRefundChangesNothing(uint256 price) public {
        price = bound(price, 100 * YUAN, 900 * YUAN);
        uint256 aliceBefore = hcy.balanceOf(alice);
        uint256 shopBefore = hcy.balanceOf(noodleShop);
        uint256 escrowBefore = hcy.balanceOf(address(vouchers));
        _saleToAlice(price);
        _refundAs(noodleShop, alice, price);
        assertEq(hcy.balanceOf(alice), aliceBefore, "balanceOf(alice), aliceBefore");
        assertEq(hcy.balanceOf(noodleShop), shopBefore, "balanceOf(noodleShop), shopBefore");
        assertEq(hcy.balanceOf(address(vouchers)), escrowBefore, "balanceOf(address(vouchers)), escrowBefore");
        assertEq(vouchers.totalOwed(), escrowBefore, "totalOwed(), escrowBefore");
    }
}
