// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Residents-only voucher campaigns: each claim carries the city service's resident ticket, and the
// per-resident limit counts per verified resident (the ticket's nullifier) across all her
// addresses. The attacks: one person with many throwaway addresses, a plain claim that skips the
// ticket, tickets replayed on another campaign, address, contract or chain, forged, expired or
// signed by a rotated key.

import {Vouchers} from "../../contracts/Vouchers.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {VouchersFixture} from "./VouchersFixture.sol";

contract VouchersResidentsTest is VouchersFixture {
    /// @dev What a resident's claim carries from the city service: her identity's nullifier, the
    /// ticket's deadline and the service's signature.
    struct Ticket {
        bytes32 nullifier;
        uint256 deadline;
        bytes signature;
    }

    uint256 internal ticketPk;
    address internal ticketSigner;
    bytes32 internal constant BOB = keccak256("identity bob");
    bytes32 internal constant CAROL = keccak256("identity carol");

    function setUp() public override {
        super.setUp();
        (ticketSigner, ticketPk) = makeAccount("city service ticket key");
        vouchers.setTicketSigner(ticketSigner);
    }

    /// @dev The dining campaign (2 per resident), residents only.
    function _residentsCampaign() internal returns (uint256) {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.residentsOnly = true;
        return _createAsCity(t);
    }

    function _ticket(
        Vouchers target,
        uint256 campaignId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline
    ) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            ticketPk,
            target.ticketDigest(campaignId, claimer, nullifier, deadline)
        );
        return abi.encodePacked(r, s, v);
    }

    /// @dev The city service's ticket for bob's identity on `campaignId`, valid for 10 minutes.
    function _bobsTicket(uint256 campaignId) internal view returns (Ticket memory) {
        uint256 deadline = block.timestamp + 10 minutes;
        return Ticket(BOB, deadline, _ticket(vouchers, campaignId, bob, BOB, deadline));
    }

    /// @dev `claimer`'s claim of `campaignId` on `target` with `ticket` must revert with exactly `reason`.
    function _claimAsResidentReverts(
        Vouchers target,
        uint256 campaignId,
        address claimer,
        Ticket memory ticket,
        bytes memory reason
    ) internal {
        _expectRevertAs(claimer, reason);
        target.claimAsResident(campaignId, new bytes32[](0), ticket.nullifier, ticket.deadline, ticket.signature);
    }

    /// @dev As {_claimAsResidentReverts}, refused as an invalid ticket.
    function _ticketRefused(Vouchers target, uint256 campaignId, address claimer, Ticket memory ticket) internal {
        bytes memory reason = abi.encodeWithSelector(IVouchers.VouchersInvalidTicket.selector, campaignId, claimer);
        _claimAsResidentReverts(target, campaignId, claimer, ticket, reason);
    }

    function _claimAsResident(uint256 campaignId, address claimer, bytes32 nullifier) internal {
        uint256 deadline = block.timestamp + 10 minutes;
        bytes memory ticket = _ticket(vouchers, campaignId, claimer, nullifier, deadline);
        vm.prank(claimer);
        vouchers.claimAsResident(campaignId, new bytes32[](0), nullifier, deadline, ticket);
    }

    function test_ClaimAsResident_CountsPerResidentAcrossAddresses() public {
        uint256 campaignId = _residentsCampaign();
        vm.expectEmit(true, true, true, true, address(vouchers));
        emit IVouchers.VoucherClaimed(campaignId, bob, 1, 1);
        _claimAsResident(campaignId, bob, BOB);
        _claimAsResident(campaignId, carol, CAROL);
        assertEq(vouchers.identityClaims(campaignId, BOB), 1, "bob's identity holds one");
        assertEq(vouchers.campaign(campaignId).claimed, 2, "two given out");
        assertTrue(vouchers.campaign(campaignId).residentsOnly, "residents only");
    }

    function test_RevertWhen_OnePersonDrainsWithThrowawayAddresses() public {
        uint256 campaignId = _residentsCampaign(); // 2 per resident
        _claimAsResident(campaignId, bob, BOB);
        address throwaway = vm.addr(0xB0B1);
        _claimAsResident(campaignId, throwaway, BOB);
        address another = vm.addr(0xB0B2);
        uint256 deadline = block.timestamp + 10 minutes;
        bytes memory ticket = _ticket(vouchers, campaignId, another, BOB, deadline);
        bytes memory limitReached = abi.encodeWithSelector(
            IVouchers.VouchersIdentityLimitReached.selector,
            campaignId,
            BOB,
            2
        );
        _claimAsResidentReverts(vouchers, campaignId, another, Ticket(BOB, deadline, ticket), limitReached);
        assertEq(vouchers.campaign(campaignId).claimed, 2, "nothing more given out");
    }

    function test_RevertWhen_ResidentsCampaignClaimedWithoutATicket() public {
        uint256 campaignId = _residentsCampaign();
        vm.expectRevert(abi.encodeWithSelector(IVouchers.VouchersTicketRequired.selector, campaignId));
        _claim(bob, campaignId);
    }

    function test_RevertWhen_TicketUsedOnAnOpenCampaign() public {
        uint256 campaignId = _createAsCity(_diningTerms());
        Ticket memory ticket = _bobsTicket(campaignId);
        bytes memory notNeeded = abi.encodeWithSelector(IVouchers.VouchersTicketNotNeeded.selector, campaignId);
        _claimAsResidentReverts(vouchers, campaignId, bob, ticket, notNeeded);
    }

    function test_RevertWhen_TicketReplayedOnAnotherCampaign() public {
        uint256 first = _residentsCampaign();
        uint256 second = _residentsCampaign();
        Ticket memory ticket = _bobsTicket(first);
        _ticketRefused(vouchers, second, bob, ticket);
    }

    function test_RevertWhen_TicketReplayedByAnotherAddress() public {
        uint256 campaignId = _residentsCampaign();
        Ticket memory ticket = _bobsTicket(campaignId);
        _ticketRefused(vouchers, campaignId, carol, ticket);
    }

    function test_RevertWhen_TicketReplayedWithAnotherNullifier() public {
        uint256 campaignId = _residentsCampaign();
        Ticket memory ticket = _bobsTicket(campaignId);
        ticket.nullifier = CAROL;
        _ticketRefused(vouchers, campaignId, bob, ticket);
    }

    function test_RevertWhen_TicketReplayedOnAnotherContract() public {
        Vouchers other = new Vouchers(ICityYuan(address(hcy)), IMerchantRegistry(address(registry)), address(this), 0);
        other.grantRole(other.CITY_SPONSOR_ROLE(), city);
        other.setTicketSigner(ticketSigner);
        hcy.setCityEscrow(address(other), true);
        uint256 campaignId = _residentsCampaign();
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.residentsOnly = true;
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(cityKey, address(other), _budgetOf(t), deadline);
        vm.prank(city);
        uint256 otherId = other.createCampaignWithPermit(t, deadline, v, r, s);
        assertEq(otherId, campaignId, "same id on both contracts");
        bytes memory ticket = _ticket(vouchers, campaignId, bob, BOB, deadline);
        _ticketRefused(other, otherId, bob, Ticket(BOB, deadline, ticket));
    }

    function test_RevertWhen_TicketReplayedOnAnotherChain() public {
        uint256 campaignId = _residentsCampaign();
        Ticket memory ticket = _bobsTicket(campaignId);
        vm.chainId(block.chainid + 1);
        _ticketRefused(vouchers, campaignId, bob, ticket);
    }

    function test_RevertWhen_TicketExpired() public {
        uint256 campaignId = _residentsCampaign();
        Ticket memory ticket = _bobsTicket(campaignId);
        vm.warp(ticket.deadline + 1);
        bytes memory expired = abi.encodeWithSelector(IVouchers.VouchersTicketExpired.selector, ticket.deadline);
        _claimAsResidentReverts(vouchers, campaignId, bob, ticket, expired);
    }

    function test_RevertWhen_TicketForgedOrSignedByTheRotatedKey() public {
        uint256 campaignId = _residentsCampaign();
        uint256 deadline = block.timestamp + 10 minutes;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(bobKey, vouchers.ticketDigest(campaignId, bob, BOB, deadline));
        _ticketRefused(vouchers, campaignId, bob, Ticket(BOB, deadline, abi.encodePacked(r, s, v)));

        bytes memory ticket = _ticket(vouchers, campaignId, bob, BOB, deadline);
        vm.expectEmit(true, true, true, true, address(vouchers));
        emit IVouchers.TicketSignerSet(address(this), carol);
        vouchers.setTicketSigner(carol); // the service's key was rotated
        _ticketRefused(vouchers, campaignId, bob, Ticket(BOB, deadline, ticket));
    }

    function test_RevertWhen_NoTicketSignerIsSet() public {
        vouchers.setTicketSigner(address(0));
        uint256 campaignId = _residentsCampaign();
        uint256 deadline = block.timestamp + 10 minutes;
        // A signature that recovers to nobody must not match the unset (zero) signer.
        bytes memory garbage = abi.encodePacked(bytes32(uint256(1)), bytes32(uint256(2)), uint8(27));
        _ticketRefused(vouchers, campaignId, bob, Ticket(BOB, deadline, garbage));
    }

    function test_RevertWhen_FrozenResidentClaimsWithATicket() public {
        uint256 campaignId = _residentsCampaign();
        hcy.freeze(bob, "court order");
        Ticket memory ticket = _bobsTicket(campaignId);
        bytes memory frozen = abi.encodeWithSelector(IVouchers.VouchersAccountFrozen.selector, bob);
        _claimAsResidentReverts(vouchers, campaignId, bob, ticket, frozen);
        assertEq(vouchers.identityClaims(campaignId, BOB), 0, "nothing counted");
    }

    function test_RevertWhen_StrangerSetsTheTicketSigner() public {
        _expectMissingRoleAs(stranger, vouchers.DEFAULT_ADMIN_ROLE());
        vouchers.setTicketSigner(stranger);
    }

    function test_RevertWhen_PerResidentLimitAbove255() public {
        IVouchers.CampaignTerms memory t = _diningTerms();
        t.perResidentLimit = 256;
        _createAsCityReverts(t, abi.encodeWithSelector(IVouchers.VouchersInvalidSupply.selector, t.totalVouchers, 256));
    }

    /// However the addresses and identities mix, no identity gets more than the limit, and the
    /// campaign counts every voucher it gave.
    function testFuzz_ResidentClaimsNeverExceedTheLimitPerIdentity(uint8 addresses, uint8 identities) public {
        addresses = uint8(bound(addresses, 1, 12));
        identities = uint8(bound(identities, 1, 4));
        uint256 campaignId = _residentsCampaign();
        uint256 given;
        for (uint256 i; i < addresses; ++i) {
            address claimer = vm.addr(0xA000 + i);
            bytes32 identity = keccak256(abi.encode("identity", i % identities));
            uint256 deadline = block.timestamp + 10 minutes;
            bytes memory ticket = _ticket(vouchers, campaignId, claimer, identity, deadline);
            vm.prank(claimer);
            try vouchers.claimAsResident(campaignId, new bytes32[](0), identity, deadline, ticket) {
                ++given;
            } catch {}
        }
        uint256 most = uint256(identities) * 2;
        assertEq(given, addresses < most ? addresses : most, "at most the limit per identity");
        assertEq(vouchers.campaign(campaignId).claimed, given, "the campaign counted each");
    }
}
