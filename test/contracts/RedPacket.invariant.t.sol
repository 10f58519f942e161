// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Invariant: whatever sequence of creates, claims, refunds and time passing, the escrow's HCY
// balance is exactly what its live packets still owe, and every packet's claims plus refund plus
// what is left equals its total. A handler drives the contract; the test checks after each call.

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
    uint256 public calls;

    constructor(CityYuan token_, RedPacket redPacket_, uint256 linkPk_) {
        _token = token_;
        _redPacket = redPacket_;
        _linkPk = linkPk_;
        _linkKey = vm.addr(linkPk_);
    }

    function packetCount() external view returns (uint256) {
        return packetIds.length;
    }

    function _claimer(uint256 seed) internal pure returns (address) {
        // A small pool, so repeated claimers (and their rejection) happen.
        return address(uint160(uint256(keccak256(abi.encode("handler claimer", seed % 12)))));
    }

    function create(uint256 amount, uint256 shares, bool random, bool toFriend, uint256 duration) external {
        ++calls;
        amount = bound(amount, 1, 20_000);
        shares = toFriend ? 1 : bound(shares, 1, amount < 100 ? amount : 100);
        IRedPacket.PacketSpec memory spec = IRedPacket.PacketSpec({
            amount: amount,
            shares: shares,
            mode: random ? IRedPacket.Mode.Random : IRedPacket.Mode.Equal,
            audience: toFriend ? IRedPacket.Audience.Friend : IRedPacket.Audience.Link,
            audienceKey: bytes32(uint256(uint160(toFriend ? _claimer(amount) : _linkKey))),
            duration: bound(duration, 1, 7 days),
            greeting: "hi"
        });
        _token.approve(address(_redPacket), amount);
        uint256 packetId = _redPacket.create(spec);
        packetIds.push(packetId);
        deposited += amount;
    }

    function claim(uint256 packetSeed, uint256 claimerSeed, bytes32 beacon) external {
        ++calls;
        if (packetIds.length == 0) return;
        uint256 packetId = packetIds[packetSeed % packetIds.length];
        IRedPacket.PacketView memory p = _redPacket.packet(packetId);
        vm.prevrandao(beacon);
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
            address claimer = _claimer(claimerSeed);
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(_linkPk, _redPacket.claimDigest(packetId, claimer));
            try _redPacket.claimFor(claimer, packetId, abi.encodePacked(r, s, v)) returns (uint256 got) {
                amount = got;
            } catch {
                return;
            }
        }
        if (amount == 0) revert("a claim paid nothing");
        claimedOf[packetId] += amount;
        paidOut += amount;
    }

    function refund(uint256 packetSeed) external {
        ++calls;
        if (packetIds.length == 0) return;
        uint256 packetId = packetIds[packetSeed % packetIds.length];
        try _redPacket.refundExpired(packetId) returns (uint256 amount) {
            refundedOf[packetId] += amount;
            paidOut += amount;
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
        handler = new RedPacketHandler(token, redPacket, linkPk);
        _fund(address(handler), 100_000_000);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = RedPacketHandler.create.selector;
        selectors[1] = RedPacketHandler.claim.selector;
        selectors[2] = RedPacketHandler.refund.selector;
        selectors[3] = RedPacketHandler.warp.selector;
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
        assertEq(token.balanceOf(address(redPacket)), owed, "escrow balance == what live packets owe");
        assertEq(owed, handler.deposited() - handler.paidOut(), "deposited - paid out == owed");
    }
}
