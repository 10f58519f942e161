// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Late draws (issue 21): a random share nobody draws within the 256 blocks whose hashes the EVM
// keeps pays its claimer the smallest share, 1 fen, and sends the rest of the equal share back to
// the sender. A claimer who watched a small draw and let the window pass (214 fen became 5,000
// under the old equal-share fallback) now gets less than the draw she saw, whichever way the late
// share is drawn (settle, the next claim, the refund), and every fen is accounted for.

import {IRedPacket} from "../../contracts/interfaces/IRedPacket.sol";
import {RedPacketFixture} from "./utils/RedPacketFixture.sol";

contract RedPacketLateTest is RedPacketFixture {
    /// @dev One block past the 256 whose hashes the EVM keeps.
    uint256 internal constant PAST_THE_WINDOW = 257;

    /// @dev Bob claims a random share of a fresh link packet in a block whose hash is `beacon`;
    /// returns the packet and the claim's block.
    function _bobCommits(
        uint256 amount,
        uint256 shares,
        bytes32 beacon
    ) internal returns (uint256 packetId, uint256 claimBlock) {
        packetId = _createLink(amount, shares, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        claimBlock = block.number;
        vm.setBlockhash(claimBlock, beacon);
    }

    /// @dev What drawing bob's share in the next block would pay (state restored afterwards).
    function _inTimeDraw(uint256 packetId) internal returns (uint256 share) {
        uint256 snapshot = vm.snapshotState();
        _nextBlock();
        share = redPacket.settle(packetId);
        vm.revertToState(snapshot);
    }

    // ───────────────────────────── the attack ─────────────────────────────

    function test_WaitingOutTheWindowAfterASmallDraw_PaysLessNotTheEqualShare() public {
        // The issue's packet: 200.00 yuan in 4 shares, an equal share of 5,000 fen. Bob sees each
        // draw coming (the hash of his claim's block is public from the next block on) and waits
        // whenever it is below the equal share. Waiting never gives him more than the draw he saw.
        uint256 waited;
        for (uint256 i; i < 16; ++i) {
            uint256 snapshot = vm.snapshotState();
            (uint256 packetId, ) = _bobCommits(20_000, 4, keccak256(abi.encode("bob's claim block", i)));
            uint256 seen = _inTimeDraw(packetId);
            if (seen < 5_000) {
                ++waited;
                vm.roll(block.number + PAST_THE_WINDOW);
                uint256 late = redPacket.settle(packetId);
                assertEq(late, redPacket.MIN_SHARE(), "a late share is the smallest share");
                assertLe(late, seen, "waiting never pays more than the draw he saw");
                assertTrue(late < 5_000, "and never the equal share");
            }
            vm.revertToState(snapshot);
        }
        assertTrue(waited > 0, "some draws were small enough to tempt him");
    }

    function test_LateSettle_PaysOneFenAndReturnsTheRestOfTheEqualShareToTheSender() public {
        (uint256 packetId, ) = _bobCommits(20_000, 4, keccak256("a small draw"));
        vm.roll(block.number + PAST_THE_WINDOW);
        uint256 aliceBefore = token.balanceOf(alice);

        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketClaimed(packetId, bob, 1, 0);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.ShareDrawnLate(packetId, bob, 0, 4_999);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketRefunded(packetId, alice, carol, 4_999);
        vm.prank(carol);
        assertEq(redPacket.settle(packetId), 1, "bob's late share");

        assertEq(token.balanceOf(bob), 1, "bob got 1 fen");
        assertEq(token.balanceOf(alice) - aliceBefore, 4_999, "the rest of the equal share went back");
        IRedPacket.PacketView memory p = redPacket.packet(packetId);
        assertEq(p.remaining, 15_000, "the others keep M - M/N, as an in-time draw leaves on average");
        assertEq(p.claimed, 1, "one share claimed");
        assertFalse(p.refunded, "the packet stays open for the others");
        assertEq(token.balanceOf(address(redPacket)), 15_000, "the escrow holds exactly what it owes");
        (address waiting, , ) = redPacket.pendingDraw(packetId);
        assertEq(waiting, address(0), "nothing waits");
    }

    function test_LastBlockOfTheWindowStillDrawsFromTheHash() public {
        (uint256 packetId, uint256 claimBlock) = _bobCommits(20_000, 4, keccak256("a draw"));
        uint256 seen = _inTimeDraw(packetId);
        vm.roll(claimBlock + 256);
        assertEq(redPacket.settle(packetId), seen, "256 blocks later the hash is still there");
        assertEq(redPacket.packet(packetId).remaining, 20_000 - seen, "nothing went back");
    }

    function test_NextClaimDrawsALateShare_ReturnsTheRestAndCommitsItsOwn() public {
        (uint256 packetId, ) = _bobCommits(1_000, 4, keccak256("a draw"));
        vm.roll(block.number + PAST_THE_WINDOW);
        uint256 aliceBefore = token.balanceOf(alice);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketRefunded(packetId, alice, carol, 249);
        assertEq(_claimByLink(packetId, carol), 0, "carol's own share is committed");
        assertEq(token.balanceOf(bob), 1, "bob's late share");
        assertEq(token.balanceOf(alice) - aliceBefore, 249, "250 - 1 went back");
        assertEq(redPacket.packet(packetId).remaining, 750, "carol and the last share split 750");
        (address waiting, , uint256 blockNumber) = redPacket.pendingDraw(packetId);
        assertEq(waiting, carol, "carol waits");
        assertEq(blockNumber, block.number, "drawn from her own claim's block");
    }

    function test_RefundDrawsALateShare_TheRestGoesBackInOneRefund() public {
        (uint256 packetId, ) = _bobCommits(1_000, 4, keccak256("a draw"));
        vm.roll(block.number + PAST_THE_WINDOW);
        vm.warp(block.timestamp + DAY);
        uint256 aliceBefore = token.balanceOf(alice);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.ShareDrawnLate(packetId, bob, 0, 249);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketRefunded(packetId, alice, address(this), 999);
        assertEq(redPacket.refundExpired(packetId), 999, "everything but bob's fen");
        assertEq(token.balanceOf(bob), 1, "bob's late share");
        assertEq(token.balanceOf(alice) - aliceBefore, 999, "one refund of the rest");
        assertTrue(redPacket.packet(packetId).refunded, "refunded");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty");
        assertEq(redPacket.livePacketCount(), 0, "no live packet");
    }

    function test_LateShareOfAOneFenEqualShare_ReturnsNothing() public {
        // M == N: the equal share is 1 fen, all of it bob's; no transfer of 0 to the sender.
        (uint256 packetId, ) = _bobCommits(3, 3, keccak256("a draw"));
        vm.roll(block.number + PAST_THE_WINDOW);
        uint256 aliceBefore = token.balanceOf(alice);
        vm.recordLogs();
        assertEq(redPacket.settle(packetId), 1, "1 fen");
        assertEq(token.balanceOf(alice), aliceBefore, "nothing to return");
        assertEq(vm.getRecordedLogs().length, 3, "Transfer, PacketClaimed, ShareDrawnLate: no PacketRefunded");
        assertEq(redPacket.packet(packetId).remaining, 2, "1 fen for each later share");
    }

    function test_LateShareOfAFrozenClaimer_IsHeldAndTheRestStillReturns() public {
        (uint256 packetId, ) = _bobCommits(1_000, 4, keccak256("a draw"));
        token.freeze(bob, "court order");
        vm.roll(block.number + PAST_THE_WINDOW);
        uint256 aliceBefore = token.balanceOf(alice);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.ShareHeld(packetId, bob, 1, 0);
        assertEq(redPacket.settle(packetId), 1, "bob's late share, held");
        assertEq(redPacket.heldFor(bob), 1, "held for bob");
        assertEq(token.balanceOf(alice) - aliceBefore, 249, "the rest went back");
        assertEq(token.balanceOf(address(redPacket)), 750 + 1, "what the packet keeps + what is held");
    }

    function test_RevertWhen_FrozenSendersLateShareIsSettled() public {
        (uint256 packetId, ) = _bobCommits(1_000, 4, keccak256("a draw"));
        token.freeze(alice, "court order");
        vm.roll(block.number + PAST_THE_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketSenderFrozen.selector, packetId, alice));
        redPacket.settle(packetId);
        token.unfreeze(alice, "lifted");
        assertEq(redPacket.settle(packetId), 1, "late either way once she is unfrozen");
    }

    function test_RevertWhen_TokenPausedForALateShare() public {
        (uint256 packetId, ) = _bobCommits(1_000, 4, keccak256("a draw"));
        vm.roll(block.number + PAST_THE_WINDOW);
        token.pause();
        vm.expectRevert(abi.encodeWithSignature("EnforcedPause()"));
        redPacket.settle(packetId);
        (address waiting, , ) = redPacket.pendingDraw(packetId);
        assertEq(waiting, bob, "nothing recorded: the share still waits");
    }

    // ───────────────────────────── fuzzed ─────────────────────────────

    function testFuzz_WaitingNeverPaysMoreAndNoFenIsLost(
        uint256 amount,
        uint256 shares,
        bytes32 beacon,
        uint256 wait
    ) public {
        shares = bound(shares, 2, 100);
        amount = bound(amount, shares, 20_000);
        wait = bound(wait, PAST_THE_WINDOW, 100_000);
        (uint256 packetId, ) = _bobCommits(amount, shares, beacon);
        uint256 seen = _inTimeDraw(packetId);
        uint256 aliceBefore = token.balanceOf(alice);

        vm.roll(block.number + wait);
        uint256 late = redPacket.settle(packetId);
        uint256 returned = token.balanceOf(alice) - aliceBefore;
        uint256 remaining = redPacket.packet(packetId).remaining;

        assertLe(late, seen, "waiting never pays the claimer more than the draw she saw");
        assertEq(late, 1, "the smallest share");
        assertEq(remaining, amount - amount / shares, "the others keep what the old fallback left them");
        assertGe(remaining, shares - 1, "every later share keeps at least 1 fen");
        assertEq(late + returned + remaining, amount, "claimed + returned + remaining == total");
        assertEq(token.balanceOf(address(redPacket)), remaining, "the escrow holds exactly what it owes");
    }

    function testFuzz_LateSharesThroughAWholePacket_AddUpToTheTotal(
        uint256 amount,
        uint256 shares,
        uint256 seed
    ) public {
        // Every share of the packet committed, some drawn in time and some late, then the refund.
        shares = bound(shares, 2, 30);
        amount = bound(amount, shares, 20_000);
        uint256 packetId = _createLink(amount, shares, IRedPacket.Mode.Random);
        uint256 aliceBefore = token.balanceOf(alice);
        uint256 claimed;
        for (uint256 i; i < shares; ++i) {
            address claimer = address(uint160(uint256(keccak256(abi.encode("late claimer", i)))));
            uint256 before = token.balanceOf(claimer);
            vm.setBlockhash(block.number, keccak256(abi.encode(seed, i)));
            _claimByLink(packetId, claimer);
            bool late = uint256(keccak256(abi.encode(seed, "late", i))) % 2 == 0;
            vm.roll(block.number + (late ? PAST_THE_WINDOW : 1));
            (address waiting, , ) = redPacket.pendingDraw(packetId);
            if (waiting == claimer) redPacket.settle(packetId);
            uint256 got = token.balanceOf(claimer) - before;
            assertGe(got, 1, "every share is at least 1 fen");
            if (late && i + 1 < shares) assertEq(got, 1, "a late share is 1 fen");
            claimed += got;
        }
        uint256 returned = token.balanceOf(alice) - aliceBefore;
        assertEq(claimed + returned, amount, "claims + what went back == total");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty");
        assertEq(redPacket.livePacketCount(), 0, "no live packet");
        vm.warp(block.timestamp + DAY);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNothingToRefund.selector, packetId));
        redPacket.refundExpired(packetId);
    }
}
