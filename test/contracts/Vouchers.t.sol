// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Vouchers: creating and funding campaigns, claiming, stopping, reclaiming, and the dApp's views.
// Redemption has its own file (Vouchers.redeem.t.sol), the money invariant too
// (Vouchers.invariant.t.sol).

import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Vouchers} from "../../contracts/Vouchers.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {VouchersFixture} from "./VouchersFixture.sol";

contract VouchersTest is VouchersFixture {
    // ───────────────────────────── create ─────────────────────────────

    function test_CreateCampaignWithPermit_EscrowsExactBudget() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 cityBefore = hcy.balanceOf(city);
        uint256 id = _createAsCity(t);

        assertEq(id, 1, "first id");
        assertEq(hcy.balanceOf(address(vouchers)), 100 * 20 * YUAN, "escrowed budget");
        assertEq(hcy.balanceOf(city), cityBefore - 100 * 20 * YUAN, "sponsor paid budget");
        assertEq(hcy.allowance(city, address(vouchers)), 0, "no allowance left over");
        IVouchers.CampaignView memory c = vouchers.campaign(id);
        assertEq(c.sponsor, city, "sponsor");
        assertEq(c.budget, 2000 * YUAN, "budget");
        assertEq(c.remainingBudget, 2000 * YUAN, "remaining");
        assertEq(c.maxDiscount, 20 * YUAN, "max discount");
        assertEq(uint256(c.status), uint256(IVouchers.CampaignStatus.Scheduled), "scheduled");
        assertEq(vouchers.nextCampaignId(), 2, "next id");
    }

    function test_CreateCampaign_FromExistingAllowance() public {
        IVouchers.CampaignTerms memory t = _percentTerms(_two(noodleShop, hotpot));
        vm.prank(city);
        hcy.approve(address(vouchers), 300 * YUAN);
        vm.prank(city);
        uint256 id = vouchers.createCampaign(t);
        assertEq(hcy.balanceOf(address(vouchers)), 10 * 30 * YUAN, "budget = supply x cap");
        assertEq(vouchers.campaign(id).merchants.length, 2, "merchant list kept");
    }

    function test_CreateCampaign_EmitsTerms() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        vm.prank(city);
        hcy.approve(address(vouchers), _budgetOf(t));
        vm.expectEmit(true, true, false, true, address(vouchers));
        emit IVouchers.CampaignCreated(1, city, _budgetOf(t), t);
        vm.prank(city);
        vouchers.createCampaign(t);
    }

    function test_MerchantSponsorsOwnShop() public {
        IVouchers.CampaignTerms memory t = _percentTerms(_one(grocer));
        uint256 id = _createWithPermit(grocerKey, t);
        assertEq(vouchers.campaign(id).sponsor, grocer, "merchant is sponsor");
        assertEq(hcy.balanceOf(address(vouchers)), _budgetOf(t), "escrowed");
    }

    function test_RevertWhen_MerchantSponsorsAnotherShop() public {
        IVouchers.CampaignTerms memory t = _percentTerms(_two(grocer, noodleShop));
        _expectRevertAs(grocer, abi.encodeWithSelector(IVouchers.VouchersNotOwnShop.selector, grocer, noodleShop));
        vouchers.createCampaign(t);
    }

    function test_RevertWhen_MerchantSponsorsCategoryCampaign() public {
        _expectRevertAs(grocer, abi.encodeWithSelector(IVouchers.VouchersNotOwnShop.selector, grocer, address(0)));
        vouchers.createCampaign(_diningTerms());
    }

    function test_RevertWhen_InactiveMerchantSponsors() public {
        registry.deactivate(grocer);
        _expectRevertAs(grocer, abi.encodeWithSelector(IVouchers.VouchersSponsorNotAllowed.selector, grocer));
        vouchers.createCampaign(_percentTerms(_one(grocer)));
    }

    function test_RevertWhen_UnregisteredSponsor() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersSponsorNotAllowed.selector, alice));
        vouchers.createCampaign(_percentTerms(_one(alice)));
    }

    function test_RevertWhen_DiscountInvalid() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.discount = 0;
        _expectInvalidDiscount(t);
        t = _diningTerms();
        t.cap = 1;
        _expectInvalidDiscount(t);
        t = _diningTerms();
        t.discount = t.minSpend + 1; // the resident would be paid to shop
        _expectInvalidDiscount(t);
        t = _percentTerms(_one(noodleShop));
        t.discount = 10_001;
        _expectInvalidDiscount(t);
        t = _percentTerms(_one(noodleShop));
        t.cap = 0;
        _expectInvalidDiscount(t);
    }

    function _expectInvalidDiscount(IVouchers.CampaignTerms memory t) private {
        _createAsCityReverts(
            t,
            abi.encodeWithSelector(IVouchers.VouchersInvalidDiscount.selector, t.kind, t.discount, t.cap, t.minSpend)
        );
    }

    function test_RevertWhen_WindowInvalid() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.endsAt = t.startsAt;
        _createAsCityReverts(
            t,
            abi.encodeWithSelector(IVouchers.VouchersInvalidWindow.selector, t.startsAt, t.endsAt, block.timestamp)
        );

        t.startsAt = uint40(T0 - 2 days);
        t.endsAt = uint40(T0); // already over: the end is exclusive
        _createAsCityReverts(
            t,
            abi.encodeWithSelector(IVouchers.VouchersInvalidWindow.selector, t.startsAt, t.endsAt, block.timestamp)
        );
    }

    function test_RevertWhen_SupplyInvalid() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.totalVouchers = 0;
        _createAsCityReverts(t, abi.encodeWithSelector(IVouchers.VouchersInvalidSupply.selector, 0, 2));
        t = _diningTerms();
        t.perResidentLimit = 0;
        _createAsCityReverts(t, abi.encodeWithSelector(IVouchers.VouchersInvalidSupply.selector, 100, 0));
    }

    function test_RevertWhen_ScopeEmptyOrBoth() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.categoryMask = 0;
        _createAsCityReverts(t, abi.encodeWithSelector(IVouchers.VouchersInvalidScope.selector, 0, 0));
        t = _diningTerms();
        t.merchants = _one(noodleShop);
        _createAsCityReverts(t, abi.encodeWithSelector(IVouchers.VouchersInvalidScope.selector, 1, t.categoryMask));
    }

    function test_RevertWhen_TooManyMerchants() public {
        address[] memory shops = new address[](33);
        for (uint256 i; i < shops.length; ++i) {
            shops[i] = address(uint160(0x5000 + i));
        }
        _createAsCityReverts(
            _percentTerms(shops),
            abi.encodeWithSelector(IVouchers.VouchersTooManyMerchants.selector, 33, 32)
        );
    }

    function test_RevertWhen_DuplicateMerchant() public {
        vm.prank(city);
        hcy.approve(address(vouchers), type(uint256).max);
        _createAsCityReverts(
            _percentTerms(_two(hotpot, hotpot)),
            abi.encodeWithSelector(IVouchers.VouchersDuplicateMerchant.selector, hotpot)
        );
    }

    function test_RevertWhen_ListedMerchantInactive() public {
        registry.deactivate(hotpot);
        _createAsCityReverts(
            _percentTerms(_two(noodleShop, hotpot)),
            abi.encodeWithSelector(IVouchers.VouchersMerchantInactive.selector, hotpot)
        );
        _createAsCityReverts(
            _percentTerms(_one(stranger)),
            abi.encodeWithSelector(IVouchers.VouchersMerchantInactive.selector, stranger)
        );
    }

    /// @dev The attack: the city builds its list for the id it expects next; a merchant sees the
    /// transaction coming and creates a tiny campaign first, taking that id. With the leaf bound to
    /// the sponsor and a salt, the city's campaign is created whatever id it gets, and the list works.
    function test_AttackTakingTheNextCampaignIdDoesNotBlockAListCampaign() public {
        bytes32 salt = keccak256("city list 2026-11");
        (bytes32 root, bytes32[][] memory proofs) = _tree(city, salt, [alice, bob, carol, grocer]);
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.eligibleRoot = root;
        t.listSalt = salt;
        uint256 expected = vouchers.nextCampaignId();

        IVouchers.CampaignTerms memory tiny = _percentTerms(_one(grocer));
        tiny.totalVouchers = 1;
        uint256 taken = _createWithPermit(grocerKey, tiny);
        assertEq(taken, expected, "the merchant took the id the city expected");

        uint256 id = _createAsCity(t);
        assertEq(id, expected + 1, "the city's campaign got the next id");
        vm.prank(alice);
        vouchers.claim(id, proofs[0]);
        (uint16 claimed, ) = vouchers.holdingOf(id, alice);
        assertEq(claimed, 1, "alice on the list claimed");
        assertEq(vouchers.campaign(id).listSalt, salt, "salt readable for proofs");
    }

    function test_RevertWhen_AnotherSponsorReusesTheCitysList() public {
        bytes32 salt = keccak256("city list 2026-11");
        (bytes32 root, bytes32[][] memory proofs) = _tree(city, salt, [alice, bob, carol, grocer]);
        // The grocer copies the city's root and salt into its own campaign: the leaves name the
        // city as sponsor, so no proof of the city's list works there.
        IVouchers.CampaignTerms memory copy = _percentTerms(_one(grocer));
        copy.eligibleRoot = root;
        copy.listSalt = salt;
        uint256 id = _createWithPermit(grocerKey, copy);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersNotEligible.selector, id, alice));
        vouchers.claim(id, proofs[0]);
    }

    function test_RevertWhen_CreatePermitExpired() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(cityKey, address(vouchers), _budgetOf(t), deadline);
        _expectRevertAs(city, abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        vouchers.createCampaignWithPermit(t, deadline, v, r, s);
    }

    function test_RevertWhen_CreatePermitWrongSigner() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermitFor(aliceKey, city, address(vouchers), _budgetOf(t), deadline);
        _expectRevertAs(city, abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, alice, city));
        vouchers.createCampaignWithPermit(t, deadline, v, r, s);
    }

    function test_RevertWhen_CreatePermitForLessThanBudget() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(cityKey, address(vouchers), _budgetOf(t) - 1, deadline);
        // The contract asks the token to check a permit for the exact budget: a smaller signed
        // amount recovers to another address.
        vm.prank(city);
        vm.expectRevert(); // ERC2612InvalidSigner(<some recovered address>, city)
        vouchers.createCampaignWithPermit(t, deadline, v, r, s);
        assertEq(vouchers.campaignCount(), 0, "nothing created");
    }

    function test_CreateWithPermit_SucceedsWhenPermitFrontRun() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(cityKey, address(vouchers), _budgetOf(t), deadline);
        // Someone copies the permit out of the mempool and submits it first.
        vm.prank(stranger);
        hcy.permit(city, address(vouchers), _budgetOf(t), deadline, v, r, s);
        vm.prank(city);
        uint256 id = vouchers.createCampaignWithPermit(t, deadline, v, r, s);
        assertEq(vouchers.campaign(id).remainingBudget, _budgetOf(t), "created anyway");
    }

    function test_RevertWhen_ConstructorZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersZeroAddress.selector));
        new Vouchers(ICityYuan(address(0)), IMerchantRegistry(address(registry)), address(this), 0);
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersZeroAddress.selector));
        new Vouchers(ICityYuan(address(hcy)), IMerchantRegistry(address(0)), address(this), 0);
    }

    // ───────────────────────────── claim ─────────────────────────────

    function test_Claim_RecordsHoldingAndSupply() public {
        uint256 id = _createAsCity(_diningTerms());
        vm.expectEmit(true, true, false, true, address(vouchers));
        emit IVouchers.VoucherClaimed(id, alice, 1, 1);
        _claim(alice, id); // before the window opens: claiming ahead is allowed
        _claim(alice, id);
        _claim(bob, id);
        (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(id, alice);
        assertEq(claimed, 2, "alice claimed two");
        assertEq(redeemed, 0, "none redeemed");
        assertEq(vouchers.campaign(id).claimed, 3, "campaign gave out three");
        assertEq(vouchers.residentCampaignCount(alice), 1, "listed once per campaign");
    }

    function test_RevertWhen_ClaimBeyondPerResidentLimit() public {
        uint256 id = _createAsCity(_diningTerms());
        _claim(alice, id);
        _claim(alice, id);
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(IVouchers.VouchersPerResidentLimitReached.selector, id, alice, 2)
        );
        vouchers.claim(id, new bytes32[](0));
    }

    function test_RevertWhen_ClaimSupplyGone() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.totalVouchers = 2;
        t.perResidentLimit = 1;
        uint256 id = _createAsCity(t);
        _claim(alice, id);
        _claim(bob, id);
        _expectRevertAs(carol, abi.encodeWithSelector(IVouchers.VouchersSupplyExhausted.selector, id, 2));
        vouchers.claim(id, new bytes32[](0));
    }

    function test_RevertWhen_ClaimAfterEnd() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 id = _createAsCity(t);
        vm.warp(t.endsAt);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersEnded.selector, id, t.endsAt, t.endsAt));
        vouchers.claim(id, new bytes32[](0));
    }

    function test_RevertWhen_ClaimUnknownCampaign() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersUnknownCampaign.selector, 7));
        vouchers.claim(7, new bytes32[](0));
    }

    function test_RevertWhen_ClaimByFrozenResident() public {
        uint256 id = _createAsCity(_diningTerms());
        hcy.freeze(alice, "court order");
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersAccountFrozen.selector, alice));
        vouchers.claim(id, new bytes32[](0));
    }

    function test_RevertWhen_ClaimAfterStop() public {
        uint256 id = _createAsCity(_diningTerms());
        vm.prank(guardian);
        vouchers.stop(id, "fraud");
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersCampaignStopped.selector, id));
        vouchers.claim(id, new bytes32[](0));
    }

    function _listCampaign(bytes32 salt) private returns (uint256 id, bytes32[][] memory proofs) {
        IVouchers.CampaignTerms memory t = _diningTerms();
        bytes32 root;
        (root, proofs) = _tree(city, salt, [alice, bob, carol, grocer]);
        t.eligibleRoot = root;
        t.listSalt = salt;
        id = _createAsCity(t);
    }

    function _listCampaign() private returns (uint256 id, bytes32[][] memory proofs) {
        return _listCampaign(keccak256("city list"));
    }

    function test_Claim_WithMerkleProof() public {
        (uint256 id, bytes32[][] memory proofs) = _listCampaign();
        vm.prank(bob);
        vouchers.claim(id, proofs[1]);
        (uint16 claimed, ) = vouchers.holdingOf(id, bob);
        assertEq(claimed, 1, "bob on the list claimed");
    }

    function test_RevertWhen_MerkleProofWrong() public {
        (uint256 id, bytes32[][] memory proofs) = _listCampaign();
        bytes32[] memory bad = proofs[0];
        bad[1] = keccak256("not a node");
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersNotEligible.selector, id, alice));
        vouchers.claim(id, bad);
        vm.prank(stranger); // not on the list at all, no proof
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersNotEligible.selector, id, stranger));
        vouchers.claim(id, new bytes32[](0));
    }

    function test_RevertWhen_MerkleProofReusedByAnotherResident() public {
        (uint256 id, bytes32[][] memory proofs) = _listCampaign();
        vm.prank(alice);
        vouchers.claim(id, proofs[0]);
        // The proof is public once alice's claim is mined; it proves alice's leaf, not stranger's.
        _expectRevertAs(stranger, abi.encodeWithSelector(IVouchers.VouchersNotEligible.selector, id, stranger));
        vouchers.claim(id, proofs[0]);
    }

    function test_RevertWhen_MerkleProofFromAnotherCampaign() public {
        (uint256 first, bytes32[][] memory firstProofs) = _listCampaign(keccak256("list one"));
        (uint256 second, ) = _listCampaign(keccak256("list two"));
        vm.prank(alice);
        vouchers.claim(first, firstProofs[0]);
        _expectRevertAs(alice, abi.encodeWithSelector(IVouchers.VouchersNotEligible.selector, second, alice));
        vouchers.claim(second, firstProofs[0]);
    }

    // ───────────────────────────── stop and reclaim ─────────────────────────────

    function test_Reclaim_AfterEndReturnsUnusedBudget() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 id = _createAsCity(t);
        _claim(alice, id);
        _claim(bob, id); // claimed, never redeemed: void at the end
        vm.warp(t.startsAt);
        _redeemWithPermit(aliceKey, id, noodleShop, 120 * YUAN, keccak256("order-1"));
        vm.warp(t.endsAt);

        uint256 cityBefore = hcy.balanceOf(city);
        vm.expectEmit(true, true, false, true, address(vouchers));
        emit IVouchers.BudgetReclaimed(id, city, 2000 * YUAN - 20 * YUAN);
        vm.prank(city);
        uint256 amount = vouchers.reclaim(id);
        assertEq(amount, 1980 * YUAN, "budget minus one discount");
        assertEq(hcy.balanceOf(city), cityBefore + amount, "sponsor got it");
        assertEq(hcy.balanceOf(address(vouchers)), 0, "escrow empty");
        assertEq(uint256(vouchers.campaign(id).status), uint256(IVouchers.CampaignStatus.Settled), "settled");
    }

    function test_RevertWhen_ReclaimBeforeEnd() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 id = _createAsCity(t);
        vm.warp(t.endsAt - 1);
        _expectRevertAs(
            city,
            abi.encodeWithSelector(IVouchers.VouchersReclaimTooEarly.selector, id, t.endsAt, t.endsAt - 1)
        );
        vouchers.reclaim(id);
    }

    function test_RevertWhen_DoubleReclaim() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 id = _createAsCity(t);
        vm.warp(t.endsAt);
        vm.prank(city);
        vouchers.reclaim(id);
        _expectRevertAs(city, abi.encodeWithSelector(IVouchers.VouchersAlreadySettled.selector, id));
        vouchers.reclaim(id);
    }

    function test_RevertWhen_ReclaimByNonSponsor() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 id = _createAsCity(t);
        vm.warp(t.endsAt);
        _expectRevertAs(guardian, abi.encodeWithSelector(IVouchers.VouchersNotSponsor.selector, id, guardian));
        vouchers.reclaim(id);
    }

    function test_Stop_RefundsSponsorImmediately() public {
        uint256 id = _createWithPermit(grocerKey, _percentTerms(_one(grocer)));
        uint256 grocerBefore = hcy.balanceOf(grocer);
        vm.expectEmit(true, true, true, true, address(vouchers));
        emit IVouchers.CampaignStopped(id, guardian, grocer, 300 * YUAN, "misprinted cap");
        vm.prank(guardian);
        vouchers.stop(id, "misprinted cap");
        assertEq(hcy.balanceOf(grocer), grocerBefore + 300 * YUAN, "budget back to the sponsor");
        assertEq(hcy.balanceOf(address(vouchers)), 0, "escrow empty");
        assertEq(uint256(vouchers.campaign(id).status), uint256(IVouchers.CampaignStatus.Settled), "settled");
        _expectRevertAs(grocer, abi.encodeWithSelector(IVouchers.VouchersAlreadySettled.selector, id));
        vouchers.reclaim(id);
    }

    function test_Stop_FrozenSponsorKeepsBudgetEscrowedForReclaim() public {
        uint256 id = _createWithPermit(grocerKey, _percentTerms(_one(grocer)));
        hcy.freeze(grocer, "investigation");
        vm.prank(guardian);
        vouchers.stop(id, "sponsor frozen");
        assertEq(hcy.balanceOf(address(vouchers)), 300 * YUAN, "still escrowed, nowhere else");
        assertEq(uint256(vouchers.campaign(id).status), uint256(IVouchers.CampaignStatus.Stopped), "stopped");
        hcy.unfreeze(grocer, "cleared");
        vm.prank(grocer);
        assertEq(vouchers.reclaim(id), 300 * YUAN, "reclaimed after a stop, before the end");
        assertEq(hcy.balanceOf(address(vouchers)), 0, "escrow empty");
    }

    function test_RevertWhen_StopByNonGuardian() public {
        uint256 id = _createAsCity(_diningTerms());
        bytes32 role = vouchers.GUARDIAN_ROLE();
        _expectMissingRoleAs(city, role);
        vouchers.stop(id, "not mine to stop");
    }

    function test_RevertWhen_StopTwiceOrAfterSettlement() public {
        uint256 id = _createAsCity(_diningTerms());
        hcy.freeze(city, "test");
        vm.prank(guardian);
        vouchers.stop(id, "first");
        _expectRevertAs(guardian, abi.encodeWithSelector(IVouchers.VouchersCampaignStopped.selector, id));
        vouchers.stop(id, "second");

        IVouchers.CampaignTerms memory t = _diningTerms();
        hcy.unfreeze(city, "test");
        uint256 other = _createAsCity(t);
        vm.warp(t.endsAt);
        vm.prank(city);
        vouchers.reclaim(other);
        _expectRevertAs(guardian, abi.encodeWithSelector(IVouchers.VouchersAlreadySettled.selector, other));
        vouchers.stop(other, "too late");
    }

    // ───────────────────────────── views ─────────────────────────────

    function test_ActiveCampaigns_PaginatesAndSkipsFinished() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        for (uint256 i; i < 5; ++i) {
            _createAsCity(t);
        }
        vm.prank(guardian);
        vouchers.stop(2, "error");

        (IVouchers.CampaignView[] memory page, uint256 next) = vouchers.activeCampaigns(0, 2);
        assertEq(page.length, 2, "first page full");
        assertEq(page[0].campaignId, 1, "id 1");
        assertEq(page[1].campaignId, 3, "stopped id 2 skipped");
        assertEq(next, 4, "continue at 4");
        (page, next) = vouchers.activeCampaigns(next, 2);
        assertEq(page.length, 2, "second page");
        assertEq(page[1].campaignId, 5, "id 5");
        assertEq(next, 0, "done");

        vm.warp(t.endsAt);
        (page, next) = vouchers.activeCampaigns(1, 10);
        assertEq(page.length, 0, "nothing active after the end");
        assertEq(next, 0, "done");
    }

    function test_VouchersOf_ShowsStates() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        uint256 dining = _createAsCity(t);
        uint256 shop = _createWithPermit(grocerKey, _percentTerms(_one(grocer)));
        _claim(alice, dining);
        _claim(alice, shop);

        IVouchers.ResidentVouchers[] memory mine = vouchers.vouchersOf(alice, 0, 10);
        assertEq(mine.length, 2, "two campaigns");
        assertEq(uint256(mine[0].state), uint256(IVouchers.VoucherState.NotYetValid), "before start");

        vm.warp(t.startsAt);
        _redeemWithPermit(aliceKey, shop, grocer, 80 * YUAN, keccak256("basket"));
        mine = vouchers.vouchersOf(alice, 0, 10);
        assertEq(uint256(mine[0].state), uint256(IVouchers.VoucherState.Usable), "usable");
        assertEq(uint256(mine[1].state), uint256(IVouchers.VoucherState.Used), "used");
        assertEq(mine[1].redeemed, 1, "redeemed count");

        vm.warp(t.endsAt);
        mine = vouchers.vouchersOf(alice, 1, 10);
        assertEq(mine.length, 1, "offset");
        assertEq(mine[0].campaignId, shop, "second entry");
        assertEq(uint256(vouchers.vouchersOf(alice, 0, 1)[0].state), uint256(IVouchers.VoucherState.Void), "void");
        assertEq(vouchers.vouchersOf(alice, 2, 10).length, 0, "past the end");
    }

    function test_BestVoucher_PicksLargestDiscountThatApplies() public {
        IVouchers.CampaignTerms memory fixed20 = _diningTerms(); // 20 off from 100, dining
        uint256 a = _createAsCity(fixed20);
        uint256 b = _createAsCity(_percentTerms(_two(noodleShop, hotpot))); // 15 % up to 30, from 50
        IVouchers.CampaignTerms memory fixed5 = _diningTerms();
        fixed5.discount = uint64(5 * YUAN);
        fixed5.minSpend = uint64(10 * YUAN);
        uint256 c = _createAsCity(fixed5);
        _claim(alice, a);
        _claim(alice, b);
        _claim(alice, c);
        vm.warp(fixed20.startsAt);

        (uint256 id, uint256 discount) = vouchers.bestVoucher(alice, noodleShop, 300 * YUAN);
        assertEq(id, b, "15% of 300 = 45, capped 30");
        assertEq(discount, 30 * YUAN, "30 off");
        (id, discount) = vouchers.bestVoucher(alice, noodleShop, 110 * YUAN);
        assertEq(id, a, "20 beats 16.50");
        assertEq(discount, 20 * YUAN, "20 off");
        (id, discount) = vouchers.bestVoucher(alice, noodleShop, 60 * YUAN);
        assertEq(id, b, "below 100: 15% of 60 = 9 beats 5");
        assertEq(discount, 9 * YUAN, "9 off");
        (id, discount) = vouchers.bestVoucher(alice, hotpot, 20 * YUAN);
        assertEq(id, c, "only the 5-off applies");
        (id, discount) = vouchers.bestVoucher(alice, grocer, 300 * YUAN);
        assertEq(id, 0, "nothing for groceries");
        assertEq(discount, 0, "no discount");
        (id, ) = vouchers.bestVoucher(bob, noodleShop, 300 * YUAN);
        assertEq(id, 0, "bob holds nothing");
        registry.deactivate(noodleShop);
        (id, ) = vouchers.bestVoucher(alice, noodleShop, 300 * YUAN);
        assertEq(id, 0, "inactive merchant");
    }

    function test_BestVoucher_TieGoesToEarliestEnd() public {
        IVouchers.CampaignTerms memory later = _diningTerms();
        IVouchers.CampaignTerms memory sooner = _diningTerms();
        sooner.endsAt = later.endsAt - 1 days;
        uint256 a = _createAsCity(later);
        uint256 b = _createAsCity(sooner);
        _claim(alice, a);
        _claim(alice, b);
        vm.warp(later.startsAt);
        (uint256 id, ) = vouchers.bestVoucher(alice, hotpot, 100 * YUAN);
        assertEq(id, b, "use the one that expires first");
    }

    function test_Views_ReportWiring() public view {
        assertEq(vouchers.token(), address(hcy), "token");
        assertEq(vouchers.registry(), address(registry), "registry");
        assertEq(vouchers.MAX_MERCHANTS(), 32, "max merchants");
        assertEq(
            vouchers.eligibilityLeaf(city, keccak256("salt"), alice),
            keccak256(bytes.concat(keccak256(abi.encode(city, keccak256("salt"), alice)))),
            "leaf"
        );
    }

    function test_RevertWhen_ViewUnknownCampaign() public {
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersUnknownCampaign.selector, 1));
        vouchers.campaign(1);
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersUnknownCampaign.selector, 1));
        vouchers.discountFor(1, 100);
    }
}
