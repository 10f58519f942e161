// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fuzzed properties of RedPacket: for any total, share count, mode and claim sequence, every share
// is at least 1 fen (and within the double-mean range when random), claims plus refund add up to
// the total exactly, and nothing is claimable after expiry or refund.

import {IRedPacket} from "../../contracts/interfaces/IRedPacket.sol";
import {RedPacketFixture} from "./utils/RedPacketFixture.sol";

contract RedPacketFuzzTest is RedPacketFixture {
    function _claimer(uint256 i) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("fuzz claimer", i)))));
    }

    function testFuzz_ClaimsPlusRefundEqualTotal(
        uint256 amount,
        uint256 shares,
        bool random,
        uint256 claims,
        uint256 seed,
        uint256 duration
    ) public {
        amount = bound(amount, 1, 20_000);
        shares = bound(shares, 1, amount < 100 ? amount : 100);
        claims = bound(claims, 0, shares);
        duration = bound(duration, 1, 7 days);
        IRedPacket.Mode mode = random ? IRedPacket.Mode.Random : IRedPacket.Mode.Equal;
        IRedPacket.PacketSpec memory spec = _spec(amount, shares, mode, IRedPacket.Audience.Link, _key(linkKey));
        spec.duration = duration;
        uint256 packetId = _create(alice, spec);
        uint256 expiry = block.timestamp + duration;

        uint256 claimed;
        for (uint256 i; i < claims; ++i) {
            // Claims spread over the packet's life, each in a block with its own hash.
            vm.warp(START + bound(uint256(keccak256(abi.encode(seed, "t", i))), 0, duration - 1));
            vm.setBlockhash(block.number, keccak256(abi.encode(seed, i)));
            uint256 remaining = amount - claimed;
            uint256 left = shares - i;
            address claimer = _claimer(i);
            uint256 share = _claimAndDraw(packetId, claimer);

            assertGe(share, 1, "every share is at least 1 fen");
            if (left == 1) assertEq(share, remaining, "the last share takes the rest");
            else if (random) assertLe(share, (2 * remaining) / left - 1, "double-mean ceiling");
            else assertEq(share, remaining / left, "equal share");
            assertEq(token.balanceOf(claimer), share, "paid to the claimer");
            claimed += share;
        }
        assertLe(claimed, amount, "never more than the total");
        assertEq(redPacket.packet(packetId).remaining, amount - claimed, "remaining");

        if (claims == shares) {
            // Nothing more to claim once every share is gone.
            bytes memory again = _signClaim(redPacket, linkPk, packetId, carol);
            _expectRevertAs(carol, abi.encodeWithSelector(IRedPacket.RedPacketExhausted.selector, packetId));
            redPacket.claimWithSignature(packetId, again);
        }

        vm.warp(expiry);
        uint256 aliceBefore = token.balanceOf(alice);
        uint256 refunded;
        if (claims < shares) {
            bytes memory late = _signClaim(redPacket, linkPk, packetId, bob);
            _expectRevertAs(bob, abi.encodeWithSelector(IRedPacket.RedPacketExpired.selector, packetId, expiry));
            redPacket.claimWithSignature(packetId, late);

            refunded = redPacket.refundExpired(packetId);
            assertEq(token.balanceOf(alice) - aliceBefore, refunded, "refund went to the sender");

            _expectRevertAs(bob, abi.encodeWithSelector(IRedPacket.RedPacketAlreadyRefunded.selector, packetId));
            redPacket.claimWithSignature(packetId, late);
        } else {
            vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNothingToRefund.selector, packetId));
            redPacket.refundExpired(packetId);
        }
        assertEq(claimed + refunded, amount, "claims + refund == total");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty once settled");
    }

    function testFuzz_RandomDrawNeverStarvesLaterShares(uint256 remaining, uint256 left, bytes32 beacon) public {
        // The double-mean draw, looked at one step at a time from any reachable state (M >= N).
        left = bound(left, 2, 100);
        remaining = bound(remaining, left, 20_000);
        IRedPacket.PacketSpec memory spec = _linkSpec(remaining, left, IRedPacket.Mode.Random);
        uint256 packetId = _create(alice, spec);
        vm.setBlockhash(block.number, beacon);
        uint256 share = _claimAndDraw(packetId, bob);
        assertGe(share, 1, "at least 1 fen");
        assertGe(remaining - share, left - 1, "every later share keeps at least 1 fen");
    }

    function testFuzz_OneToOneOnlyTheFriendClaims(address stranger, uint256 amount) public {
        amount = bound(amount, 1, 20_000);
        vm.assume(stranger != bob);
        uint256 packetId = _createFriend(amount, bob);
        _expectRevertAs(
            stranger,
            abi.encodeWithSelector(IRedPacket.RedPacketNotRecipient.selector, packetId, stranger)
        );
        redPacket.claim(packetId);
        vm.prank(bob);
        assertEq(redPacket.claim(packetId), amount, "the friend gets the total");
    }

    function testFuzz_SignatureBindsTheClaimer(uint256 claimerKey, address other) public {
        claimerKey = bound(claimerKey, 1, 2 ** 128);
        address claimer = vm.addr(claimerKey);
        vm.assume(other != claimer && other != address(0) && other != address(redPacket) && other != address(token));
        uint256 packetId = _createLink(1_000, 10, IRedPacket.Mode.Random);
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, claimer);
        _expectRevertAs(
            other,
            abi.encodeWithSelector(IRedPacket.RedPacketInvalidClaimSignature.selector, packetId, other)
        );
        redPacket.claimFor(other, packetId, signature, block.timestamp, "");
    }
}
