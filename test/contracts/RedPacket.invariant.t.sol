// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Invariant: whatever sequence of creates, claims (committed random shares, draws in later
// blocks or past the 256-block window, resident tickets), settles, refunds, HCY sent straight to the escrow, rescues, freezes
// of claimers and time passing, the escrow's HCY balance is exactly what it owes (what live
// packets hold plus shares held for frozen claimers) plus the excess sent to it and not yet
// rescued, and every packet's claims plus refund plus what is left equals its total. A handler
// drives the contract; the test checks after each call.

import {CityYuan} from "../../contracts/CityYuan.sol";
import {RedPacket} from "../../contracts/RedPacket.sol";
import {IRedPacket} from "../../contracts/interfaces/IRedPacket.sol";
import {TestBase} from "./utils/Vm.sol";
import {RedPacketFixture} from "./utils/RedPacketFixture.sol";

contract RedPacketHandler is TestBase {
    CityYuan internal immutable _token;
    RedPacket internal immutable _redPacket;
    uint256 internal immutable _linkPk;
    address internal immutable _linkKey;

    uint256[] public packetIds;
    mapping(uint256 packetId => uint256) public claimedOf;
    mapping(uint256 packetId => uint256) public refundedOf;
    uint256 public deposited;
    uint256 public paidOut;
    uint256 public donated;
    uint256 public rescued;
    uint256 public calls;
    /// @dev Draws made past the 256-block window (late shares), to see the runs reach them.
    uint256 public lateDraws;
    uint256 internal immutable _ticketPk;
    address internal immutable _admin;

    constructor(CityYuan token_, RedPacket redPacket_, uint256 linkPk_, uint256 ticketPk_) {
        _token = token_;
        _redPacket = redPacket_;
        _linkPk = linkPk_;
        _linkKey = vm.addr(linkPk_);
        _ticketPk = ticketPk_;
        _admin = msg.sender;
    }

    /// @dev The packets that still hold money, in increasing order, as the admin reads them.
    function livePackets() public view returns (uint256[] memory live) {
        uint256 count;
        uint256[] memory all = new uint256[](packetIds.length);
        for (uint256 i; i < packetIds.length; ++i) {
            if (_redPacket.packet(packetIds[i]).remaining != 0) all[count++] = packetIds[i];
        }
        live = new uint256[](count);
        for (uint256 i; i < count; ++i) live[i] = all[i];
    }

    function _record(uint256 packetId, uint256 amount) internal {
        claimedOf[packetId] += amount;
        paidOut += amount;
    }

    /// @dev What a late share sent back to its sender (this handler, the sender of every packet).
    function _countLate(uint256 packetId) internal {
        (address waiting, , uint256 blockNumber) = _redPacket.pendingDraw(packetId);
        if (waiting != address(0) && block.number > blockNumber + 256) ++lateDraws;
    }

    function _recordReturned(uint256 packetId, uint256 senderBefore) internal {
        uint256 returned = _token.balanceOf(address(this)) - senderBefore;
        refundedOf[packetId] += returned;
        paidOut += returned;
    }

    function packetCount() external view returns (uint256) {
        return packetIds.length;
    }

    function _claimer(uint256 seed) internal pure returns (address) {
        // A small pool, so repeated claimers (and their rejection) happen.
        return address(uint160(uint256(keccak256(abi.encode("handler claimer", seed % 12)))));
    }

    function create(uint256 amount, uint256 shares, bool random, uint8 audienceSeed, uint256 duration) external {
        ++calls;
        amount = bound(amount, 1, 20_000);
        IRedPacket.Audience audience = [
            IRedPacket.Audience.Friend,
            IRedPacket.Audience.Link,
            IRedPacket.Audience.Residents
        ][audienceSeed % 3];
        bool toFriend = audience == IRedPacket.Audience.Friend;
        shares = toFriend ? 1 : bound(shares, 1, amount < 100 ? amount : 100);
        IRedPacket.PacketSpec memory spec = IRedPacket.PacketSpec({
            amount: amount,
            shares: shares,
            mode: random ? IRedPacket.Mode.Random : IRedPacket.Mode.Equal,
            audience: audience,
            audienceKey: bytes32(uint256(uint160(toFriend ? _claimer(amount) : _linkKey))),
            duration: bound(duration, 1, 7 days),
            greeting: "hi"
        });
        _token.approve(address(_redPacket), amount);
        uint256 packetId = _redPacket.create(spec);
        packetIds.push(packetId);
        deposited += amount;
    }

    function claim(uint256 packetSeed, uint256 claimerSeed, bytes32 blockHash, bool nextBlock) external {
        ++calls;
        if (packetIds.length == 0) return;
        uint256 packetId = packetIds[packetSeed % packetIds.length];
        IRedPacket.PacketView memory p = _redPacket.packet(packetId);
        // Sometimes in the same block as the claim before (and refused), mostly in a later one.
        if (nextBlock) vm.roll(block.number + 1);
        vm.setBlockhash(block.number, blockHash);
        (address waiting, , ) = _redPacket.pendingDraw(packetId);
        uint256 heldBefore = waiting == address(0) ? 0 : _redPacket.heldFor(waiting);
        uint256 waitingBefore = waiting == address(0) ? 0 : _token.balanceOf(waiting);
        uint256 senderBefore = _token.balanceOf(address(this));
        (, , uint256 waitingBlock) = _redPacket.pendingDraw(packetId);
        bool lateBefore = waiting != address(0) && block.number > waitingBlock + 256;
        uint256 amount;
        if (p.audience == IRedPacket.Audience.Friend) {
            address friend = address(uint160(uint256(p.audienceKey)));
            vm.prank(friend);
            try _redPacket.claim(packetId) returns (uint256 got) {
                amount = got;
            } catch {
                return;
            }
        } else {
            bool ok;
            (ok, amount) = _claimByLink(packetId, p.audience, claimerSeed);
            if (!ok) return;
        }
        // A claim that went through drew the share that waited, if any: paid or held.
        if (waiting != address(0)) {
            uint256 drawn = _redPacket.heldFor(waiting) - heldBefore + _token.balanceOf(waiting) - waitingBefore;
            if (waiting == _claimer(claimerSeed)) drawn -= amount;
            if (drawn == 0) revert("a draw paid nothing");
            _record(packetId, drawn);
            _recordReturned(packetId, senderBefore);
            if (lateBefore) ++lateDraws;
        }
        if (amount != 0) _record(packetId, amount);
        else if (!(p.mode == IRedPacket.Mode.Random && p.shares - p.claimed > 1)) revert("a claim paid nothing");
    }

    function _sign(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    function _claimByLink(
        uint256 packetId,
        IRedPacket.Audience audience,
        uint256 claimerSeed
    ) internal returns (bool ok, uint256 amount) {
        address claimer = _claimer(claimerSeed);
        bytes memory linkSignature = _sign(_linkPk, _redPacket.claimDigest(packetId, claimer));
        if (audience == IRedPacket.Audience.Link) {
            vm.prank(claimer);
            try _redPacket.claimWithSignature(packetId, linkSignature) returns (uint256 got) {
                return (true, got);
            } catch {
                return (false, 0);
            }
        }
        bytes32 nullifier = keccak256(abi.encode("identity", claimerSeed % 5));
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory ticket = _sign(_ticketPk, _redPacket.ticketDigest(packetId, claimer, nullifier, deadline));
        vm.prank(claimer);
        try _redPacket.claimAsResident(packetId, linkSignature, nullifier, deadline, ticket) returns (uint256 got) {
            return (true, got);
        } catch {
            return (false, 0);
        }
    }

    function settle(uint256 packetSeed) external {
        ++calls;
        if (packetIds.length == 0) return;
        uint256 packetId = packetIds[packetSeed % packetIds.length];
        vm.roll(block.number + 1);
        uint256 senderBefore = _token.balanceOf(address(this));
        uint256 lateBefore = lateDraws;
        _countLate(packetId);
        try _redPacket.settle(packetId) returns (uint256 amount) {
            if (amount == 0) revert("a draw paid nothing");
            _record(packetId, amount);
            _recordReturned(packetId, senderBefore);
        } catch {
            lateDraws = lateBefore;
        }
    }

    /// @dev Nobody touches the chain for a while: waiting shares go past the 256-block window.
    function roll(uint256 blocks) external {
        ++calls;
        vm.roll(block.number + bound(blocks, 1, 600));
    }

    /// @dev Freezes or unfreezes a claimer, most often one whose random share waits for its draw.
    function freeze(uint256 seed, bool frozen) external {
        ++calls;
        address claimer = _claimer(seed);
        if (frozen && packetIds.length != 0) {
            (address waiting, , ) = _redPacket.pendingDraw(packetIds[seed % packetIds.length]);
            if (waiting != address(0)) claimer = waiting;
        }
        if (_token.isFrozen(claimer) == frozen) return;
        // The test contract is the token's compliance officer and the escrow's admin.
        vm.prank(_admin);
        if (frozen) _token.freeze(claimer, "handler");
        else _token.unfreeze(claimer, "handler");
    }

    function releaseHeld(uint256 claimerSeed) external {
        ++calls;
        try _redPacket.releaseHeld(_claimer(claimerSeed)) {} catch {}
    }

    /// @dev Someone sends HCY straight to the escrow: not owed to anyone.
    function donate(uint256 amount) external {
        ++calls;
        amount = bound(amount, 1, 10_000);
        _token.transfer(address(_redPacket), amount);
        donated += amount;
    }

    function rescue() external {
        ++calls;
        uint256[] memory live = livePackets();
        vm.prank(_admin);
        try _redPacket.rescueExcess(address(0xBEEF), live) returns (uint256 amount) {
            rescued += amount;
        } catch {}
    }

    function refund(uint256 packetSeed) external {
        ++calls;
        if (packetIds.length == 0) return;
        uint256 packetId = packetIds[packetSeed % packetIds.length];
        (address waiting, , ) = _redPacket.pendingDraw(packetId);
        uint256 heldBefore = waiting == address(0) ? 0 : _redPacket.heldFor(waiting);
        uint256 waitingBefore = waiting == address(0) ? 0 : _token.balanceOf(waiting);
        try _redPacket.refundExpired(packetId) returns (uint256 amount) {
            refundedOf[packetId] += amount;
            paidOut += amount;
            if (waiting != address(0)) {
                _record(packetId, _redPacket.heldFor(waiting) - heldBefore + _token.balanceOf(waiting) - waitingBefore);
            }
        } catch {}
    }

    function warp(uint256 seconds_) external {
        ++calls;
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }
}

contract RedPacketInvariantTest is RedPacketFixture {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    RedPacketHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new RedPacketHandler(token, redPacket, linkPk, ticketPk);
        _fund(address(handler), 100_000_000);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = RedPacketHandler.create.selector;
        selectors[1] = RedPacketHandler.claim.selector;
        selectors[2] = RedPacketHandler.refund.selector;
        selectors[3] = RedPacketHandler.warp.selector;
        selectors[4] = RedPacketHandler.settle.selector;
        selectors[5] = RedPacketHandler.freeze.selector;
        selectors[6] = RedPacketHandler.releaseHeld.selector;
        selectors[7] = RedPacketHandler.donate.selector;
        selectors[8] = RedPacketHandler.rescue.selector;
        selectors[9] = RedPacketHandler.roll.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    function invariant_EscrowHoldsWhatItOwes() public view {
        uint256 owed;
        uint256 count = handler.packetCount();
        for (uint256 i; i < count; ++i) {
            uint256 packetId = handler.packetIds(i);
            IRedPacket.PacketView memory p = redPacket.packet(packetId);
            owed += p.remaining;
            assertEq(
                handler.claimedOf(packetId) + handler.refundedOf(packetId) + p.remaining,
                p.total,
                "claims + refund + remaining == total"
            );
            if (p.refunded) assertEq(p.remaining, 0, "a refunded packet owes nothing");
        }
        assertLe(handler.rescued(), handler.donated(), "a rescue never takes what is owed");
        uint256 held;
        for (uint256 seed; seed < 12; ++seed) {
            held += redPacket.heldFor(address(uint160(uint256(keccak256(abi.encode("handler claimer", seed))))));
        }
        assertEq(redPacket.owed(handler.livePackets()), owed + held, "the escrow's own count of what it owes");
        assertEq(
            token.balanceOf(address(redPacket)),
            owed + held + handler.donated() - handler.rescued(),
            "escrow balance == what it owes + excess not yet rescued"
        );
        assertEq(owed, handler.deposited() - handler.paidOut(), "deposited - drawn - refunded == held by packets");
    }
}
