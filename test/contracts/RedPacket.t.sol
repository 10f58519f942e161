// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// RedPacket as a specification: creating (approve or permit), the audiences, equal and random
// shares (committed, then drawn from the claim block's hash), relayed claims with the claimer's
// consent, the expiry boundary, refunds, replayed link signatures, limits, the rescue of excess,
// and the policies for money that could get stuck (frozen sender or claimer, paused token, lost
// key). Resident tickets and the grinders are in RedPacket.fair.t.sol.

import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {RedPacket} from "../../contracts/RedPacket.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IRedPacket} from "../../contracts/interfaces/IRedPacket.sol";
import {RedPacketFixture} from "./utils/RedPacketFixture.sol";

contract RedPacketTest is RedPacketFixture {
    /// @dev A link packet of 300 in three equal shares, and the link's claim signature for bob.
    function _equalLinkPacketSignedForBob() internal returns (uint256 packetId, bytes memory signature) {
        packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        signature = _signClaim(redPacket, linkPk, packetId, bob);
    }

    /// @dev `claimer`'s link claim of `packetId` on `target` with `signature` must fail as an
    /// invalid link signature.
    function _linkSignatureRefused(
        RedPacket target,
        uint256 packetId,
        address claimer,
        bytes memory signature
    ) internal {
        bytes memory reason = abi.encodeWithSelector(
            IRedPacket.RedPacketInvalidClaimSignature.selector,
            packetId,
            claimer
        );
        _expectRevertAs(claimer, reason);
        target.claimWithSignature(packetId, signature);
    }

    // ───────────────────────────── create ─────────────────────────────

    function test_CreateWithPermit_FundsExactlyTheAmountInOneTransaction() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(8_888, 10, IRedPacket.Mode.Random);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(alicePk, alice, spec.amount, deadline);

        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketCreated(
            1,
            alice,
            _key(linkKey),
            IRedPacket.Audience.Link,
            IRedPacket.Mode.Random,
            8_888,
            10,
            block.timestamp + DAY,
            unicode"恭喜发财"
        );
        vm.prank(alice);
        uint256 packetId = redPacket.createWithPermit(spec, deadline, v, r, s);

        assertEq(packetId, 1, "first id");
        assertEq(redPacket.packetCount(), 1, "count");
        assertEq(token.balanceOf(address(redPacket)), 8_888, "escrowed");
        assertEq(token.balanceOf(alice), 1_000_000 - 8_888, "debited");
        assertEq(token.allowance(alice, address(redPacket)), 0, "no allowance left behind");

        IRedPacket.PacketView memory p = redPacket.packet(packetId);
        assertEq(p.sender, alice, "sender");
        assertEq(p.total, 8_888, "total");
        assertEq(p.remaining, 8_888, "remaining");
        assertEq(p.shares, 10, "shares");
        assertEq(p.claimed, 0, "claimed");
        assertEq(p.expiry, block.timestamp + DAY, "default expiry 24h");
        assertTrue(p.mode == IRedPacket.Mode.Random, "mode");
        assertTrue(p.audience == IRedPacket.Audience.Link, "audience");
        assertEq(p.audienceKey, _key(linkKey), "audience key");
        assertFalse(p.refunded, "not refunded");
    }

    function test_CreateWithPermit_SucceedsWhenThePermitWasFrontRun() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(500, 5, IRedPacket.Mode.Equal);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(alicePk, alice, spec.amount, deadline);
        // A mempool watcher submits the permit first: the nonce is spent, the allowance is set.
        vm.prank(relayer);
        token.permit(alice, address(redPacket), spec.amount, deadline, v, r, s);

        vm.prank(alice);
        uint256 packetId = redPacket.createWithPermit(spec, deadline, v, r, s);
        assertEq(redPacket.packet(packetId).remaining, 500, "created anyway");
        assertEq(token.allowance(alice, address(redPacket)), 0, "allowance spent");
    }

    function test_RevertWhen_PermitDeadlineExpired() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(500, 5, IRedPacket.Mode.Equal);
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(alicePk, alice, spec.amount, deadline);
        _expectRevertAs(alice, abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        redPacket.createWithPermit(spec, deadline, v, r, s);
    }

    function test_RevertWhen_PermitSignedByAnotherAccount() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(500, 5, IRedPacket.Mode.Equal);
        uint256 deadline = block.timestamp + 1 hours;
        (address mallory, uint256 malloryPk) = makeAccount("mallory");
        // Mallory signs a permit as if she were alice's owner key.
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(malloryPk, alice, spec.amount, deadline);
        _expectRevertAs(alice, abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, mallory, alice));
        redPacket.createWithPermit(spec, deadline, v, r, s);
    }

    function test_RevertWhen_PermitIsForAnotherAmount() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(500, 5, IRedPacket.Mode.Equal);
        uint256 deadline = block.timestamp + 1 hours;
        // Signed for 499: the contract permits exactly spec.amount, so the recovered signer differs.
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(alicePk, alice, 499, deadline);
        vm.expectRevert();
        vm.prank(alice);
        redPacket.createWithPermit(spec, deadline, v, r, s);
        assertEq(token.balanceOf(alice), 1_000_000, "nothing moved");
    }

    function test_RevertWhen_ZeroShares() public {
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketZeroShares.selector));
        redPacket.create(_linkSpec(100, 0, IRedPacket.Mode.Equal));
    }

    function test_RevertWhen_SharesExceedAmountInFen() public {
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketSharesExceedAmount.selector, 11, 10));
        redPacket.create(_linkSpec(10, 11, IRedPacket.Mode.Random));
    }

    function test_RevertWhen_AmountOverTheLimit() public {
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketAmountTooLarge.selector, 20_001, 20_000));
        redPacket.create(_linkSpec(20_001, 10, IRedPacket.Mode.Equal));
    }

    function test_RevertWhen_SharesOverTheLimit() public {
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketTooManyShares.selector, 101, 100));
        redPacket.create(_linkSpec(20_000, 101, IRedPacket.Mode.Equal));
    }

    function test_RevertWhen_DurationOverTheLimit() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(100, 1, IRedPacket.Mode.Equal);
        spec.duration = 7 days + 1;
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketDurationTooLong.selector, 7 days + 1, 7 days));
        redPacket.create(spec);
    }

    function test_CustomDuration_SetsTheExpiry() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(100, 1, IRedPacket.Mode.Equal);
        spec.duration = 7 days;
        uint256 packetId = _create(alice, spec);
        assertEq(redPacket.packet(packetId).expiry, block.timestamp + 7 days, "expiry");
    }

    function test_RevertWhen_GreetingTooLong() public {
        IRedPacket.PacketSpec memory spec = _linkSpec(100, 1, IRedPacket.Mode.Equal);
        spec.greeting = unicode"恭喜发财恭喜发财恭喜发财恭喜发财恭喜发财恭喜发财"; // 24 characters, 72 bytes
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketGreetingTooLong.selector, 72, 64));
        redPacket.create(spec);
    }

    function test_RevertWhen_AudienceKeyIsNotAnAddress() public {
        bytes32 dirty = bytes32((uint256(1) << 200) | uint256(uint160(bob)));
        vm.expectRevert(
            abi.encodeWithSelector(IRedPacket.RedPacketInvalidAudienceKey.selector, IRedPacket.Audience.Friend, dirty)
        );
        redPacket.create(_spec(100, 1, IRedPacket.Mode.Equal, IRedPacket.Audience.Friend, dirty));

        vm.expectRevert(
            abi.encodeWithSelector(
                IRedPacket.RedPacketInvalidAudienceKey.selector,
                IRedPacket.Audience.Link,
                bytes32(0)
            )
        );
        redPacket.create(_spec(100, 1, IRedPacket.Mode.Equal, IRedPacket.Audience.Link, bytes32(0)));

        vm.expectRevert(
            abi.encodeWithSelector(
                IRedPacket.RedPacketInvalidAudienceKey.selector,
                IRedPacket.Audience.Friends,
                bytes32(0)
            )
        );
        redPacket.create(_spec(100, 2, IRedPacket.Mode.Equal, IRedPacket.Audience.Friends, bytes32(0)));
    }

    function test_RevertWhen_FriendPacketHasSeveralShares() public {
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketFriendPacketNotSingleShare.selector, 2));
        redPacket.create(_spec(100, 2, IRedPacket.Mode.Equal, IRedPacket.Audience.Friend, _key(bob)));
    }

    function test_RevertWhen_FrozenSenderCreates() public {
        token.freeze(alice, "court order");
        IRedPacket.PacketSpec memory spec = _spec(100, 1, IRedPacket.Mode.Equal, IRedPacket.Audience.Friend, _key(bob));
        vm.prank(alice);
        token.approve(address(redPacket), 100);
        _expectRevertAs(alice, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, alice));
        redPacket.create(spec);
    }

    // ───────────────────────────── 1:1 and named friends ─────────────────────────────

    function test_Claim_OneToOneFriendGetsTheTotal() public {
        uint256 packetId = _createFriend(6_666, bob);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketClaimed(packetId, bob, 6_666, 0);
        vm.prank(bob);
        uint256 amount = redPacket.claim(packetId);

        assertEq(amount, 6_666, "amount");
        assertEq(token.balanceOf(bob), 6_666, "paid");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty");
        assertTrue(redPacket.hasClaimed(packetId, bob), "bob claimed");
        assertFalse(redPacket.hasClaimed(packetId, carol), "carol did not");
        assertEq(redPacket.packet(packetId).claimed, 1, "claimed count");
    }

    function test_RevertWhen_StrangerClaimsFriendPacket() public {
        uint256 packetId = _createFriend(100, bob);
        _expectRevertAs(carol, abi.encodeWithSelector(IRedPacket.RedPacketNotRecipient.selector, packetId, carol));
        redPacket.claim(packetId);
        assertFalse(redPacket.hasClaimed(packetId, bob), "untouched");
    }

    function test_RevertWhen_FriendClaimsTwice() public {
        uint256 packetId = _createFriend(100, bob);
        vm.prank(bob);
        redPacket.claim(packetId);
        _expectRevertAs(bob, abi.encodeWithSelector(IRedPacket.RedPacketExhausted.selector, packetId));
        redPacket.claim(packetId);
    }

    function test_ClaimWithProof_NamedFriendsShareAGroupPacket() public {
        // Tree of bob, carol, dave and relayer: leaves paired (0,1) and (2,3).
        bytes32[4] memory leaves = [_leaf(bob), _leaf(carol), _leaf(dave), _leaf(relayer)];
        bytes32 left = _hashPair(leaves[0], leaves[1]);
        bytes32 right = _hashPair(leaves[2], leaves[3]);
        bytes32 root = _hashPair(left, right);
        uint256 packetId = _create(alice, _spec(900, 3, IRedPacket.Mode.Equal, IRedPacket.Audience.Friends, root));
        assertEq(redPacket.packet(packetId).audienceKey, root, "root");

        bytes32[] memory proof = new bytes32[](2);
        proof[0] = leaves[1];
        proof[1] = right;
        vm.prank(bob);
        assertEq(redPacket.claimWithProof(packetId, proof), 300, "bob's equal share");
        assertTrue(redPacket.hasClaimed(packetId, bob), "recorded");

        _expectRevertAs(bob, abi.encodeWithSelector(IRedPacket.RedPacketAlreadyClaimed.selector, packetId, bob));
        redPacket.claimWithProof(packetId, proof);

        proof[0] = leaves[3];
        proof[1] = left;
        vm.prank(dave);
        assertEq(redPacket.claimWithProof(packetId, proof), 300, "dave's share");
    }

    function test_RevertWhen_StrangerClaimsFriendsPacketWithAFriendsProof() public {
        bytes32 root = _hashPair(_leaf(bob), _leaf(carol));
        uint256 packetId = _create(alice, _spec(900, 2, IRedPacket.Mode.Equal, IRedPacket.Audience.Friends, root));
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _leaf(carol); // bob's proof, presented by dave
        _expectRevertAs(dave, abi.encodeWithSelector(IRedPacket.RedPacketNotRecipient.selector, packetId, dave));
        redPacket.claimWithProof(packetId, proof);
    }

    function test_RevertWhen_EntryPointDoesNotMatchTheAudience() public {
        uint256 linkPacket = _createLink(100, 2, IRedPacket.Mode.Equal);
        _expectRevertAs(
            bob,
            abi.encodeWithSelector(IRedPacket.RedPacketWrongAudience.selector, linkPacket, IRedPacket.Audience.Link)
        );
        redPacket.claim(linkPacket);

        uint256 friendPacket = _createFriend(100, bob);
        _claimByLinkReverts(
            friendPacket,
            bob,
            abi.encodeWithSelector(IRedPacket.RedPacketWrongAudience.selector, friendPacket, IRedPacket.Audience.Friend)
        );
    }

    // ───────────────────────────── link packets ─────────────────────────────

    function test_ClaimWithSignature_EqualSharesLastTakesTheRest() public {
        uint256 packetId = _createLink(100, 3, IRedPacket.Mode.Equal);
        assertEq(_claimByLink(packetId, bob), 33, "first");
        assertEq(_claimByLink(packetId, carol), 33, "second");
        assertEq(_claimByLink(packetId, dave), 34, "last takes the rest");
        IRedPacket.PacketView memory p = redPacket.packet(packetId);
        assertEq(p.remaining, 0, "nothing left");
        assertEq(p.claimed, 3, "all claimed");
        assertFalse(p.refunded, "exhausted is not refunded");
    }

    /// A link packet keeps no per-address marker: a second claim by one address takes a second
    /// share, exactly as the link holder could with a throwaway address; nothing is created or lost,
    /// and no marker is recorded (one share per person is a Residents packet's nullifier).
    function test_LinkPacket_SecondClaimByOneAddressIsLikeAThrowaway() public {
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        vm.prank(bob);
        redPacket.claimWithSignature(packetId, signature);
        assertFalse(redPacket.hasClaimed(packetId, bob), "no marker on a link packet");
        vm.prank(bob);
        redPacket.claimWithSignature(packetId, signature);
        assertEq(token.balanceOf(bob), 200, "two shares, as two addresses would get");
        assertEq(_claimByLink(packetId, carol), 100, "the last share is still there for a friend");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty: nothing created or lost");
    }

    function test_ClaimWithSignature_RandomSharesStayInTheDoubleMeanRange() public {
        uint256 packetId = _createLink(20_000, 4, IRedPacket.Mode.Random);
        address[4] memory claimers = [bob, carol, dave, relayer];
        uint256 remaining = 20_000;
        for (uint256 i; i < 4; ++i) {
            uint256 left = 4 - i;
            uint256 amount = _claimAndDraw(packetId, claimers[i]);
            if (left > 1) {
                assertGe(amount, 1, "at least 1 fen");
                assertLe(amount, (2 * remaining) / left - 1, "at most 2M/N - 1");
            } else {
                assertEq(amount, remaining, "last takes the rest");
            }
            assertEq(token.balanceOf(claimers[i]), amount, "paid");
            remaining -= amount;
        }
        assertEq(remaining, 0, "sum is the total");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty");
        assertEq(redPacket.livePacketCount(), 0, "no live packet");
    }

    function test_RandomClaim_CommitsAndTheNextClaimDrawsAndPays() public {
        uint256 packetId = _createLink(1_000, 3, IRedPacket.Mode.Random);
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, bob);
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.ShareCommitted(packetId, bob, 0, block.number);
        vm.prank(bob);
        assertEq(redPacket.claimWithSignature(packetId, signature), 0, "nothing known, nothing paid yet");
        assertEq(token.balanceOf(bob), 0, "bob not paid in his own claim");
        (address waiting, uint256 index, uint256 blockNumber) = redPacket.pendingDraw(packetId);
        assertEq(waiting, bob, "bob waits");
        assertEq(index, 0, "share 0");
        assertEq(blockNumber, block.number, "drawn from this block's hash");
        assertEq(redPacket.packet(packetId).remaining, 1_000, "still owed");

        _nextBlock();
        uint256 expected =
            1 + (uint256(keccak256(abi.encode(blockhash(blockNumber), packetId, uint256(0)))) % uint256(665));
        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketClaimed(packetId, bob, expected, 0);
        _claimByLink(packetId, carol);
        assertEq(token.balanceOf(bob), expected, "carol's claim paid bob's share");
        (waiting, , ) = redPacket.pendingDraw(packetId);
        assertEq(waiting, carol, "carol waits now");

        _nextBlock();
        uint256 last = _claimByLink(packetId, dave);
        assertEq(token.balanceOf(bob) + token.balanceOf(carol) + last, 1_000, "all paid, the last at once");
        assertEq(token.balanceOf(dave), last, "dave paid in his claim");
    }

    function test_RandomShares_DrawnFromTheHashOfTheClaimBlock() public {
        uint256 packetId = _createLink(20_000, 10, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        uint256 claimBlock = block.number;
        _nextBlock();
        uint256 snapshot = vm.snapshotState();
        vm.setBlockhash(claimBlock, keccak256("one block"));
        uint256 a = redPacket.settle(packetId);
        vm.revertToState(snapshot);
        vm.setBlockhash(claimBlock, keccak256("another block"));
        uint256 b = redPacket.settle(packetId);
        assertTrue(a != b, "another block hash gives another draw");
        vm.revertToState(snapshot);
        // prevrandao, constant on the city's chain, plays no part.
        vm.prevrandao(bytes32(uint256(7)));
        vm.setBlockhash(claimBlock, keccak256("one block"));
        assertEq(redPacket.settle(packetId), a, "same block hash, same draw, whatever prevrandao");
    }

    function test_RevertWhen_TwoRandomClaimsInOneBlock() public {
        uint256 packetId = _createLink(1_000, 3, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        _claimByLinkReverts(
            packetId,
            carol,
            abi.encodeWithSelector(IRedPacket.RedPacketDrawPending.selector, packetId, block.number)
        );
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketDrawPending.selector, packetId, block.number));
        redPacket.settle(packetId);
        _nextBlock();
        _claimByLink(packetId, carol);
        assertEq(redPacket.packet(packetId).claimed, 2, "carol's claim went in the next block");
    }

    function test_RevertWhen_NothingToSettle() public {
        uint256 packetId = _createLink(1_000, 3, IRedPacket.Mode.Random);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNothingToSettle.selector, packetId));
        redPacket.settle(packetId);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketUnknownPacket.selector, 99));
        redPacket.settle(99);
    }

    function test_DrawAfter256Blocks_IsTheSmallestShare() public {
        // The hash is gone; the equal share leaves the packet, 1 fen of it to bob (RedPacket.late.t.sol).
        uint256 packetId = _createLink(1_000, 4, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        vm.roll(block.number + 257);
        assertEq(redPacket.settle(packetId), 1, "the smallest share");
        assertEq(redPacket.packet(packetId).remaining, 750, "the equal share of what was left is out");
    }

    function test_Refund_DrawsTheWaitingShareFirst() public {
        uint256 packetId = _createLink(1_000, 4, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        _nextBlock();
        vm.warp(block.timestamp + DAY);
        uint256 refunded = redPacket.refundExpired(packetId);
        assertGe(token.balanceOf(bob), 1, "bob's share was drawn and paid");
        assertEq(token.balanceOf(bob) + refunded, 1_000, "the rest went back");
        assertEq(token.balanceOf(address(redPacket)), 0, "escrow empty");
        assertEq(redPacket.livePacketCount(), 0, "no live packet");
    }

    function test_ClaimFor_PaysTheSignedClaimerNotTheRelayer() public {
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory consent = _signConsent(bobPk, packetId, deadline);
        vm.prank(relayer);
        uint256 amount = redPacket.claimFor(bob, packetId, signature, deadline, consent);
        assertEq(amount, 100, "share");
        assertEq(token.balanceOf(bob), 100, "claimer paid");
        assertEq(token.balanceOf(relayer), 0, "relayer not paid");
    }

    function test_RevertWhen_RelayerSpendsAFriendsClaimWithoutHerConsent() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Random);
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, bob);
        uint256 deadline = block.timestamp + 1 hours;
        // The link holder signs "consent" with its own key.
        (, uint256 relayerPk) = makeAccount("relayer");
        bytes memory forged = _signConsent(relayerPk, packetId, deadline);
        _expectRevertAs(relayer, abi.encodeWithSelector(IRedPacket.RedPacketInvalidConsent.selector, packetId, bob));
        redPacket.claimFor(bob, packetId, signature, deadline, forged);
        _expectRevertAs(relayer, abi.encodeWithSelector(IRedPacket.RedPacketInvalidConsent.selector, packetId, bob));
        redPacket.claimFor(bob, packetId, signature, deadline, "");
        // Bob's consent for another deadline does not fit either.
        bytes memory other = _signConsent(bobPk, packetId, deadline + 1);
        _expectRevertAs(relayer, abi.encodeWithSelector(IRedPacket.RedPacketInvalidConsent.selector, packetId, bob));
        redPacket.claimFor(bob, packetId, signature, deadline, other);
        assertEq(redPacket.packet(packetId).claimed, 0, "nothing claimed");
    }

    function test_RevertWhen_ConsentExpired() public {
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory consent = _signConsent(bobPk, packetId, deadline);
        vm.warp(deadline + 1);
        _expectRevertAs(relayer, abi.encodeWithSelector(IRedPacket.RedPacketConsentExpired.selector, deadline));
        redPacket.claimFor(bob, packetId, signature, deadline, consent);
    }

    function test_RevertWhen_ConsentReplayed() public {
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory consent = _signConsent(bobPk, packetId, deadline);
        vm.prank(relayer);
        redPacket.claimFor(bob, packetId, signature, deadline, consent);
        _expectRevertAs(relayer, abi.encodeWithSelector(IRedPacket.RedPacketInvalidConsent.selector, packetId, bob));
        redPacket.claimFor(bob, packetId, signature, deadline, consent);
    }

    function test_ClaimFor_ContractAccountConsentsWithERC1271() public {
        SmartAccount account = new SmartAccount(bob);
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, address(account));
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(bobPk, redPacket.consentDigest(packetId, address(account), deadline));
        vm.prank(relayer);
        redPacket.claimFor(address(account), packetId, signature, deadline, abi.encodePacked(r, s, v));
        assertEq(token.balanceOf(address(account)), 100, "the account got its share");

        // Its owner's key is what it accepts: another key's signature is refused.
        (v, r, s) = vm.sign(alicePk, redPacket.consentDigest(packetId, address(account), deadline + 1));
        _expectRevertAs(
            relayer,
            abi.encodeWithSelector(IRedPacket.RedPacketInvalidConsent.selector, packetId, address(account))
        );
        redPacket.claimFor(address(account), packetId, signature, deadline + 1, abi.encodePacked(r, s, v));
    }

    function test_RevertWhen_ShareWouldGoToAnAddressThatCanNeverSpendIt() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        address[3] memory sinks = [address(0), address(redPacket), address(token)];
        for (uint256 i; i < 3; ++i) {
            bytes memory signature = _signClaim(redPacket, linkPk, packetId, sinks[i]);
            _expectRevertAs(relayer, abi.encodeWithSelector(IRedPacket.RedPacketInvalidClaimer.selector, sinks[i]));
            redPacket.claimFor(sinks[i], packetId, signature, block.timestamp, "");
        }
        for (uint256 i = 1; i < 3; ++i) {
            IRedPacket.PacketSpec memory spec = _spec(
                100,
                1,
                IRedPacket.Mode.Equal,
                IRedPacket.Audience.Friend,
                _key(sinks[i])
            );
            vm.prank(alice);
            token.approve(address(redPacket), 100);
            _expectRevertAs(
                alice,
                abi.encodeWithSelector(
                    IRedPacket.RedPacketInvalidAudienceKey.selector,
                    IRedPacket.Audience.Friend,
                    _key(sinks[i])
                )
            );
            redPacket.create(spec);
        }
    }

    function test_RevertWhen_SignatureReplayedByAnotherAddress() public {
        (, uint256 carolPk) = makeAccount("carol");
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        // A mempool watcher copies bob's signature and claims for itself.
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(IRedPacket.RedPacketInvalidClaimSignature.selector, packetId, carol)
        );
        redPacket.claimWithSignature(packetId, signature);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory consent = _signConsent(carolPk, packetId, deadline);
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(IRedPacket.RedPacketInvalidClaimSignature.selector, packetId, carol)
        );
        redPacket.claimFor(carol, packetId, signature, deadline, consent);
    }

    function test_RevertWhen_SignatureReplayedOnAnotherPacket() public {
        // The sender even reuses the same link key for two packets.
        uint256 first = _createLink(300, 3, IRedPacket.Mode.Equal);
        uint256 second = _createLink(300, 3, IRedPacket.Mode.Equal);
        bytes memory signature = _signClaim(redPacket, linkPk, first, bob);
        _linkSignatureRefused(redPacket, second, bob, signature);
    }

    function test_RevertWhen_SignatureReplayedOnAnotherChain() public {
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        vm.chainId(block.chainid + 1);
        _linkSignatureRefused(redPacket, packetId, bob, signature);
    }

    function test_RevertWhen_SignatureReplayedOnAnotherDeployment() public {
        RedPacket other = new RedPacket(ICityYuan(address(token)), address(this), 1 days);
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        uint256 otherId = _createOn(other, alice, _linkSpec(300, 3, IRedPacket.Mode.Equal));
        assertEq(otherId, packetId, "same id, same key, other contract");

        bytes memory signature = _signClaim(redPacket, linkPk, packetId, bob);
        _linkSignatureRefused(other, otherId, bob, signature);
    }

    function test_RevertWhen_SignedByAnotherKey() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        bytes memory signature = _signClaim(redPacket, alicePk, packetId, bob);
        _linkSignatureRefused(redPacket, packetId, bob, signature);
    }

    function test_RevertWhen_SignatureMalformed() public {
        (uint256 packetId, bytes memory signature) = _equalLinkPacketSignedForBob();
        bytes memory truncated = new bytes(64);
        for (uint256 i; i < 64; ++i) {
            truncated[i] = signature[i];
        }
        _linkSignatureRefused(redPacket, packetId, bob, truncated);
    }

    function test_RevertWhen_PacketExhausted() public {
        uint256 packetId = _createLink(300, 2, IRedPacket.Mode.Random);
        _claimAndDraw(packetId, bob);
        _claimAndDraw(packetId, carol);
        _claimByLinkReverts(packetId, dave, abi.encodeWithSelector(IRedPacket.RedPacketExhausted.selector, packetId));
    }

    function test_RevertWhen_UnknownPacket() public {
        _claimByLinkReverts(42, bob, abi.encodeWithSelector(IRedPacket.RedPacketUnknownPacket.selector, 42));
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketUnknownPacket.selector, 0));
        redPacket.claim(0);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketUnknownPacket.selector, 42));
        redPacket.refundExpired(42);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketUnknownPacket.selector, 42));
        redPacket.packet(42);
    }

    // ───────────────────────────── expiry and refund ─────────────────────────────

    function test_ExpiryBoundary_ClaimUntilTheSecondBeforeRefundFromTheSecondOf() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        uint256 expiry = block.timestamp + DAY;

        vm.warp(expiry - 1);
        _claimByLink(packetId, bob); // last claimable second
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNotExpired.selector, packetId, expiry));
        redPacket.refundExpired(packetId);

        vm.warp(expiry);
        _claimByLinkReverts(
            packetId,
            carol,
            abi.encodeWithSelector(IRedPacket.RedPacketExpired.selector, packetId, expiry)
        );

        vm.expectEmit(true, true, true, true, address(redPacket));
        emit IRedPacket.PacketRefunded(packetId, alice, relayer, 200);
        vm.prank(relayer);
        assertEq(redPacket.refundExpired(packetId), 200, "refund at expiry");
    }

    function test_RevertWhen_RefundBeforeExpiry() public {
        uint256 packetId = _createFriend(100, bob);
        _expectRevertAs(
            alice,
            abi.encodeWithSelector(IRedPacket.RedPacketNotExpired.selector, packetId, block.timestamp + DAY)
        );
        redPacket.refundExpired(packetId);
    }

    function test_RevertWhen_RefundedTwice() public {
        uint256 packetId = _createFriend(100, bob);
        vm.warp(block.timestamp + DAY);
        redPacket.refundExpired(packetId);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketAlreadyRefunded.selector, packetId));
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(alice), 1_000_000, "refunded once, in full");
        assertTrue(redPacket.packet(packetId).refunded, "refunded flag");
    }

    function test_RevertWhen_ClaimAfterRefund() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        vm.warp(block.timestamp + DAY);
        redPacket.refundExpired(packetId);
        _claimByLinkReverts(
            packetId,
            bob,
            abi.encodeWithSelector(IRedPacket.RedPacketAlreadyRefunded.selector, packetId)
        );
    }

    function test_RevertWhen_RefundingAnExhaustedPacket() public {
        uint256 packetId = _createFriend(100, bob);
        vm.prank(bob);
        redPacket.claim(packetId);
        vm.warp(block.timestamp + DAY);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNothingToRefund.selector, packetId));
        redPacket.refundExpired(packetId);
    }

    // ───────────────────────────── money that could get stuck ─────────────────────────────

    function test_LostKeySender_AnyonePushesTheRefundToTheSender() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        _claimByLink(packetId, bob);
        vm.warp(block.timestamp + DAY);
        // Alice lost her key; the city service (here: relayer) triggers the refund.
        vm.prank(relayer);
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(alice), 1_000_000 - 100, "the sender got what was left");
        assertEq(token.balanceOf(relayer), 0, "the caller got nothing");
    }

    function test_RevertWhen_FrozenSenderEmptiesHerPacketsToFreshAddresses() public {
        uint256 linkPacket = _createLink(300, 3, IRedPacket.Mode.Equal);
        uint256 friendPacket = _createFriend(100, carol);
        bytes32 root = _hashPair(_leaf(bob), _leaf(carol));
        uint256 friendsPacket = _create(alice, _spec(200, 2, IRedPacket.Mode.Equal, IRedPacket.Audience.Friends, root));
        token.freeze(alice, "court order");

        // Alice holds her own link and signs claims for addresses she controls: refused.
        address fresh = address(0xF1E5);
        _claimByLinkReverts(
            linkPacket,
            fresh,
            abi.encodeWithSelector(IRedPacket.RedPacketSenderFrozen.selector, linkPacket, alice)
        );
        _expectRevertAs(carol, abi.encodeWithSelector(IRedPacket.RedPacketSenderFrozen.selector, friendPacket, alice));
        redPacket.claim(friendPacket);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _leaf(carol);
        _expectRevertAs(bob, abi.encodeWithSelector(IRedPacket.RedPacketSenderFrozen.selector, friendsPacket, alice));
        redPacket.claimWithProof(friendsPacket, proof);
        assertEq(token.balanceOf(address(redPacket)), 600, "the money waits");

        // Unfrozen before expiry: claims go on.
        token.unfreeze(alice, "order lifted");
        assertEq(_claimByLink(linkPacket, fresh), 100, "claims continue");
        vm.prank(carol);
        assertEq(redPacket.claim(friendPacket), 100, "the friend claims");
    }

    function test_RevertWhen_FrozenSendersWaitingShareIsSettled() public {
        uint256 packetId = _createLink(1_000, 3, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        _nextBlock();
        token.freeze(alice, "court order");
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketSenderFrozen.selector, packetId, alice));
        redPacket.settle(packetId);
        vm.warp(block.timestamp + DAY);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketSenderFrozen.selector, packetId, alice));
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(address(redPacket)), 1_000, "nothing left the packet");
        token.unfreeze(alice, "order lifted");
        uint256 refunded = redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(bob) + refunded, 1_000, "bob's share then the refund");
    }

    function test_FrozenSender_RefundWaitsUntilUnfrozen() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        _claimByLink(packetId, bob);
        token.freeze(alice, "court order");
        vm.warp(block.timestamp + DAY);
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, alice));
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(address(redPacket)), 200, "still escrowed for alice");
        assertEq(redPacket.packet(packetId).remaining, 200, "still owed");

        vm.warp(block.timestamp + 365 days);
        token.unfreeze(alice, "order lifted");
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(alice), 1_000_000 - 100, "refunded once unfrozen");
    }

    function test_RevertWhen_FrozenClaimerCommitsARandomShare() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Random);
        token.freeze(bob, "court order");
        _claimByLinkReverts(packetId, bob, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, bob));
        assertEq(redPacket.packet(packetId).claimed, 0, "nothing committed");
    }

    function test_FrozenAfterHerClaim_ShareIsHeldAndReleasedAfterUnfreeze() public {
        uint256 packetId = _createLink(1_000, 3, IRedPacket.Mode.Random);
        _claimByLink(packetId, bob);
        token.freeze(bob, "court order");
        _nextBlock();
        // The packet goes on for the others: carol's claim draws bob's share and holds it.
        _claimByLink(packetId, carol);
        uint256 held = redPacket.heldFor(bob);
        assertGe(held, 1, "bob's share is held");
        assertEq(token.balanceOf(bob), 0, "not paid while frozen");
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNothingHeld.selector, bob));
        redPacket.releaseHeld(bob);

        token.unfreeze(bob, "cleared");
        vm.expectEmit(true, false, false, true, address(redPacket));
        emit IRedPacket.HeldReleased(bob, held);
        assertEq(redPacket.releaseHeld(bob), held, "released");
        assertEq(token.balanceOf(bob), held, "paid");
        assertEq(redPacket.heldFor(bob), 0, "nothing held");
    }

    function test_RevertWhen_ClaimerFrozen() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        token.freeze(bob, "court order");
        _claimByLinkReverts(packetId, bob, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, bob));
        assertFalse(redPacket.hasClaimed(packetId, bob), "nothing recorded");
        assertEq(redPacket.packet(packetId).claimed, 0, "share still there");
        assertEq(_claimByLink(packetId, carol), 100, "others still claim");
    }

    function test_RevertWhen_TokenPaused_ClaimsAndRefundsWait() public {
        uint256 packetId = _createLink(300, 3, IRedPacket.Mode.Equal);
        token.pause();
        _claimByLinkReverts(packetId, bob, abi.encodeWithSelector(Pausable.EnforcedPause.selector));

        vm.warp(block.timestamp + DAY);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(address(redPacket)), 300, "funds wait");

        token.unpause();
        redPacket.refundExpired(packetId);
        assertEq(token.balanceOf(alice), 1_000_000, "refunded after the unpause");
    }

    function test_TokenPaused_ClaimWorksAfterUnpauseBeforeExpiry() public {
        uint256 packetId = _createFriend(100, bob);
        token.pause();
        _expectRevertAs(bob, abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        redPacket.claim(packetId);
        token.unpause();
        vm.prank(bob);
        assertEq(redPacket.claim(packetId), 100, "claimed after the unpause");
    }

    // ───────────────────────────── excess ─────────────────────────────

    function test_RescueExcess_MovesOnlyWhatWasSentStraightToTheEscrow() public {
        uint256 first = _createLink(300, 3, IRedPacket.Mode.Equal);
        uint256 done = _createFriend(100, bob);
        uint256 second = _createLink(1_000, 4, IRedPacket.Mode.Random);
        vm.prank(bob);
        redPacket.claim(done);
        _claimByLink(second, carol); // a random share waits for its draw: still owed
        // Someone sends HCY straight to the escrow instead of through create.
        vm.prank(alice);
        token.transfer(address(redPacket), 777);

        uint256[] memory live = new uint256[](2);
        live[0] = first;
        live[1] = second;
        assertEq(redPacket.owed(live), 1_300, "owed: what live packets hold");
        vm.expectEmit(true, false, false, true, address(redPacket));
        emit IRedPacket.ExcessRescued(dave, 777);
        assertEq(redPacket.rescueExcess(dave, live), 777, "the excess");
        assertEq(token.balanceOf(dave), 777, "to the address named in the call");
        assertEq(token.balanceOf(address(redPacket)), 1_300, "what is owed stays");

        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketNoExcess.selector));
        redPacket.rescueExcess(dave, live);
        // Everything still owed is still paid in full.
        _nextBlock();
        for (uint256 i; i < 3; ++i) {
            _claimAndDraw(first, address(uint160(0xA000 + i)));
            _claimAndDraw(second, address(uint160(0xB000 + i)));
        }
        assertEq(token.balanceOf(address(redPacket)), 0, "owed money all paid");
    }

    function test_RevertWhen_RescueListOmitsOrFakesLivePackets() public {
        uint256 first = _createLink(300, 3, IRedPacket.Mode.Equal);
        uint256 second = _createLink(500, 3, IRedPacket.Mode.Equal);
        uint256 done = _createFriend(100, bob);
        vm.prank(bob);
        redPacket.claim(done);
        vm.prank(alice);
        token.transfer(address(redPacket), 50);

        uint256[] memory omitted = new uint256[](1);
        omitted[0] = second; // hides 300 owed by `first` as "excess"
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketLivePacketsMismatch.selector, 1, 2));
        redPacket.rescueExcess(dave, omitted);

        uint256[] memory twice = new uint256[](2);
        twice[0] = first;
        twice[1] = first;
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketLivePacketsMismatch.selector, 2, 2));
        redPacket.rescueExcess(dave, twice);

        uint256[] memory emptied = new uint256[](2);
        emptied[0] = first;
        emptied[1] = done; // holds nothing
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketLivePacketsMismatch.selector, 2, 2));
        redPacket.rescueExcess(dave, emptied);
    }

    function test_RevertWhen_RescueBySomeoneElseOrToASink() public {
        uint256[] memory none = new uint256[](0);
        vm.prank(alice);
        token.transfer(address(redPacket), 50);
        _expectMissingRoleAs(alice, redPacket.DEFAULT_ADMIN_ROLE());
        redPacket.rescueExcess(alice, none);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketInvalidClaimer.selector, address(redPacket)));
        redPacket.rescueExcess(address(redPacket), none);
        assertEq(redPacket.rescueExcess(dave, none), 50, "no live packet: all is excess");
    }

    // ───────────────────────────── limits ─────────────────────────────

    function test_RevertWhen_NonAdminChangesLimits() public {
        _expectMissingRoleAs(alice, redPacket.DEFAULT_ADMIN_ROLE());
        redPacket.setLimits(1_000_000, 200, 1 hours, 30 days);
    }

    function test_SetLimits_AdminRaisesLimitsForNewPackets() public {
        uint256 before = _createLink(20_000, 100, IRedPacket.Mode.Random);
        vm.expectEmit(true, false, false, true, address(redPacket));
        emit IRedPacket.LimitsSet(address(this), 1_000_000, 200, 1 hours, 30 days);
        redPacket.setLimits(1_000_000, 200, 1 hours, 30 days);
        (uint256 maxTotal, uint256 maxShares, uint256 defaultDuration, uint256 maxDuration) = redPacket.limits();
        assertEq(maxTotal, 1_000_000, "max total");
        assertEq(maxShares, 200, "max shares");
        assertEq(defaultDuration, 1 hours, "default duration");
        assertEq(maxDuration, 30 days, "max duration");

        _fund(alice, 1_000_000);
        uint256 packetId = _createLink(1_000_000, 200, IRedPacket.Mode.Random);
        assertEq(redPacket.packet(packetId).expiry, block.timestamp + 1 hours, "new default");
        assertEq(redPacket.packet(before).expiry, block.timestamp + DAY, "earlier packet keeps its terms");
    }

    function test_RevertWhen_LimitsInvalid() public {
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketInvalidLimits.selector, 0, 100, 1 days, 7 days));
        redPacket.setLimits(0, 100, 1 days, 7 days);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketInvalidLimits.selector, 100, 256, 1 days, 7 days));
        redPacket.setLimits(100, 256, 1 days, 7 days);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketInvalidLimits.selector, 100, 10, 8 days, 7 days));
        redPacket.setLimits(100, 10, 8 days, 7 days);
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketInvalidLimits.selector, 100, 10, 1 days, 366 days));
        redPacket.setLimits(100, 10, 1 days, 366 days);
        uint256 tooMuch = uint256(type(uint32).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IRedPacket.RedPacketInvalidLimits.selector, tooMuch, 10, 1, 1));
        redPacket.setLimits(tooMuch, 10, 1, 1);
    }
}

/// @dev A contract account (ERC-1271) that accepts its owner's ECDSA signature.
contract SmartAccount is IERC1271 {
    address internal immutable _owner;

    constructor(address owner_) {
        _owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError error_, ) = ECDSA.tryRecover(hash, signature);
        return
            error_ == ECDSA.RecoverError.NoError && signer == _owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }
}
