// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fair red packets (issue 15): a random share cannot be known or chosen before its claim is
// committed (a grinder choosing its moment, a claimer contract reverting small draws), and a
// verified-residents packet gives one share per identity (throwaway addresses, tickets replayed on
// another packet, contract or chain, forged or expired tickets).

import {RedPacket} from "../../contracts/RedPacket.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IRedPacket} from "../../contracts/interfaces/IRedPacket.sol";
import {RedPacketFixture} from "./utils/RedPacketFixture.sol";

/// @dev A claimer contract that takes its share only if it is big: it reverts the whole claim
/// otherwise, hoping to retry for a better draw.
contract PickyClaimer {
    RedPacket internal immutable _redPacket;
    ICityYuan internal immutable _token;

    constructor(RedPacket redPacket_, ICityYuan token_) {
        _redPacket = redPacket_;
        _token = token_;
    }

    function claimIfBig(uint256 packetId, bytes calldata signature, uint256 atLeast) external {
        uint256 before = _token.balanceOf(address(this));
        _redPacket.claimWithSignature(packetId, signature);
        require(_token.balanceOf(address(this)) - before >= atLeast, "small draw");
    }
}

contract RedPacketFairTest is RedPacketFixture {
    bytes32 internal constant BOB_IDENTITY = keccak256("identity bob");

    /// @dev The city service's ticket for bob's identity on `packetId`, valid for 10 minutes.
    function _bobsTicket(uint256 packetId) internal view returns (uint256 deadline, bytes memory ticket) {
        deadline = block.timestamp + 10 minutes;
        ticket = _signTicket(redPacket, ticketPk, packetId, bob, BOB_IDENTITY, deadline);
    }

    /// @dev `claimer`'s claim on `target` with a ticket for bob's identity must fail as an invalid ticket.
    function _ticketRefused(
        RedPacket target,
        uint256 packetId,
        address claimer,
        uint256 deadline,
        bytes memory ticket
    ) internal {
        bytes memory reason = abi.encodeWithSelector(IRedPacket.RedPacketInvalidTicket.selector, packetId, claimer);
        _claimAsResidentReverts(target, packetId, claimer, BOB_IDENTITY, deadline, ticket, reason);
    }

    // ───────────────────────────── grinders ─────────────────────────────

    function test_GrinderChoosingItsMoment_CannotSeeOrChooseItsShare() public {
        // Everything a grinder can know or choose before its claim is mined: when (block number,
        // timestamp, prevrandao, constant on the city's chain) and in which order. None of it fixes
        // the share; only the hash of the claim's block does, which does not exist yet.
        uint256 packetId = _createLink(20_000, 10, IRedPacket.Mode.Random);
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, bob);
        uint256 snapshot = vm.snapshotState();
        uint256 smallest = type(uint256).max;
        uint256 biggest;
        for (uint256 moment; moment < 8; ++moment) {
            vm.revertToState(snapshot);
            // Same moment, same everything the grinder sees; only the future block hash differs.
            vm.roll(100);
            vm.warp(START + 60);
            vm.prevrandao(bytes32(0));
            vm.prank(bob);
            assertEq(redPacket.claimWithSignature(packetId, signature), 0, "the claim itself reveals nothing");
            vm.setBlockhash(100, keccak256(abi.encode("block the grinder cannot see", moment)));
            vm.roll(101);
            uint256 share = redPacket.settle(packetId);
            if (share < smallest) smallest = share;
            if (share > biggest) biggest = share;
        }
        assertTrue(biggest > smallest, "the same moment gives different shares: the moment does not choose");
    }

    function test_ClaimerContractRevertingSmallDraws_NeverSeesItsDraw() public {
        PickyClaimer picky = new PickyClaimer(redPacket, ICityYuan(address(token)));
        uint256 packetId = _createLink(20_000, 10, IRedPacket.Mode.Random);
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, address(picky));
        // Whatever threshold it sets above zero, it sees nothing during its claim: no draw to keep.
        vm.expectRevert(bytes("small draw"));
        picky.claimIfBig(packetId, signature, 1);
        // Accepting anything commits the claim; the draw comes a block later, out of its hands.
        picky.claimIfBig(packetId, signature, 0);
        assertEq(token.balanceOf(address(picky)), 0, "nothing known in its own transaction");
        _nextBlock();
        uint256 share = redPacket.settle(packetId);
        assertEq(token.balanceOf(address(picky)), share, "paid by the settle");
    }

    function test_SenderCannotSeeSharesAtCreation() public {
        // With the old draw every share was a function of (prevrandao, packet, index), all known at
        // creation on a constant-prevrandao chain. Now two packets created alike split differently.
        uint256 first = _createLink(10_000, 2, IRedPacket.Mode.Random);
        uint256 second = _createLink(10_000, 2, IRedPacket.Mode.Random);
        _claimByLink(first, bob);
        _claimByLink(second, carol);
        vm.setBlockhash(block.number, keccak256("some block"));
        _nextBlock();
        uint256 a = redPacket.settle(first);
        uint256 b = redPacket.settle(second);
        assertTrue(a != b, "packet id is mixed in, the block hash decides");
    }

    // ───────────────────────────── verified residents ─────────────────────────────

    function test_ClaimAsResident_EachIdentityClaimsOnce() public {
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        assertEq(_claimAsResident(packetId, bob, BOB_IDENTITY), 100, "bob's share");
        assertEq(_claimAsResident(packetId, carol, keccak256("identity carol")), 100, "carol's share");
        assertTrue(redPacket.nullifierUsed(packetId, BOB_IDENTITY), "bob's identity used");
        assertFalse(redPacket.nullifierUsed(packetId + 1, BOB_IDENTITY), "per packet");
    }

    function test_RevertWhen_ThrowawayAddressesOnAVerifiedOnlyPacket() public {
        uint256 packetId = _createResidents(1_000, 10, IRedPacket.Mode.Random);
        bytes32 identity = keccak256("one resident");
        _claimAsResident(packetId, bob, identity);
        _nextBlock();
        // The same person asks tickets for fresh addresses: the service gives the same nullifier.
        for (uint256 i = 1; i <= 3; ++i) {
            address throwaway = address(uint160(0xD00D + i));
            uint256 deadline = block.timestamp + 10 minutes;
            _claimAsResidentReverts(
                redPacket,
                packetId,
                throwaway,
                identity,
                deadline,
                _signTicket(redPacket, ticketPk, packetId, throwaway, identity, deadline),
                abi.encodeWithSelector(IRedPacket.RedPacketIdentityAlreadyClaimed.selector, packetId, identity)
            );
        }
        assertEq(redPacket.packet(packetId).claimed, 1, "one share for one resident");
    }

    function test_RevertWhen_ResidentClaimsWithoutATicketOrThroughAnotherEntry() public {
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        bytes memory linkSignature = _signClaim(redPacket, linkPk, packetId, bob);
        _expectRevertAs(
            bob,
            abi.encodeWithSelector(IRedPacket.RedPacketWrongAudience.selector, packetId, IRedPacket.Audience.Residents)
        );
        redPacket.claimWithSignature(packetId, linkSignature);
        _expectRevertAs(bob, abi.encodeWithSelector(IRedPacket.RedPacketInvalidTicket.selector, packetId, bob));
        redPacket.claimAsResident(packetId, linkSignature, keccak256("x"), block.timestamp, "");
    }

    function test_RevertWhen_TicketReplayedOnAnotherPacket() public {
        uint256 first = _createResidents(300, 3, IRedPacket.Mode.Equal);
        uint256 second = _createResidents(300, 3, IRedPacket.Mode.Equal);
        (uint256 deadline, bytes memory ticket) = _bobsTicket(first);
        _ticketRefused(redPacket, second, bob, deadline, ticket);
    }

    function test_RevertWhen_TicketReplayedByAnotherAddress() public {
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        (uint256 deadline, bytes memory ticket) = _bobsTicket(packetId);
        _ticketRefused(redPacket, packetId, carol, deadline, ticket);
    }

    function test_RevertWhen_TicketReplayedOnAnotherContract() public {
        RedPacket other = new RedPacket(ICityYuan(address(token)), address(this), 1 days);
        other.setTicketSigner(ticketSigner);
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        uint256 otherId = _createOn(other, alice, _forResidents(_linkSpec(300, 3, IRedPacket.Mode.Equal)));
        assertEq(otherId, packetId, "same id, same link key, other contract");
        (uint256 deadline, bytes memory ticket) = _bobsTicket(packetId);
        _ticketRefused(other, otherId, bob, deadline, ticket);
    }

    function test_RevertWhen_TicketReplayedOnAnotherChain() public {
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        (uint256 deadline, bytes memory ticket) = _bobsTicket(packetId);
        vm.chainId(block.chainid + 1);
        // The link signature is made on this chain, so only the ticket is from another.
        _ticketRefused(redPacket, packetId, bob, deadline, ticket);
    }

    function test_RevertWhen_TicketSignedByAnotherKeyOrTheOldSigner() public {
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        uint256 deadline = block.timestamp + 10 minutes;
        bytes memory forged = _signTicket(redPacket, linkPk, packetId, bob, BOB_IDENTITY, deadline);
        _ticketRefused(redPacket, packetId, bob, deadline, forged);

        (, bytes memory ticket) = _bobsTicket(packetId);
        vm.expectEmit(true, true, false, true, address(redPacket));
        emit IRedPacket.TicketSignerSet(address(this), dave);
        redPacket.setTicketSigner(dave); // the service's key was rotated
        _ticketRefused(redPacket, packetId, bob, deadline, ticket);
    }

    function test_RevertWhen_TicketExpired() public {
        uint256 packetId = _createResidents(300, 3, IRedPacket.Mode.Equal);
        (uint256 deadline, bytes memory ticket) = _bobsTicket(packetId);
        vm.warp(deadline + 1);
        bytes memory expired = abi.encodeWithSelector(IRedPacket.RedPacketTicketExpired.selector, deadline);
        _claimAsResidentReverts(redPacket, packetId, bob, BOB_IDENTITY, deadline, ticket, expired);
    }

    function test_RevertWhen_ResidentsPacketWithoutTicketSigner() public {
        redPacket.setTicketSigner(address(0));
        IRedPacket.PacketSpec memory spec = _forResidents(_linkSpec(300, 3, IRedPacket.Mode.Equal));
        vm.prank(alice);
        token.approve(address(redPacket), 300);
        _expectRevertAs(alice, abi.encodeWithSelector(IRedPacket.RedPacketNoTicketSigner.selector));
        redPacket.create(spec);
    }
}
