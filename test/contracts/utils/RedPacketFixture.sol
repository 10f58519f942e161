// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the RedPacket tests: a CityYuan whose admin, issuer, compliance officer and
// pauser is the test contract, a RedPacket escrowing it, funded residents, and helpers that create
// packets and sign link claims and permits the way the dApp does.

import {CityYuan} from "../../../contracts/CityYuan.sol";
import {RedPacket} from "../../../contracts/RedPacket.sol";
import {ICityYuan} from "../../../contracts/interfaces/ICityYuan.sol";
import {IRedPacket} from "../../../contracts/interfaces/IRedPacket.sol";
import {TestBase} from "./Vm.sol";

abstract contract RedPacketFixture is TestBase {
    bytes32 internal constant BANK_REF = keccak256("BANK-DEPOSIT-0001");
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    uint256 internal constant START = 1_800_000_000; // 2027-01-15, a realistic timestamp
    uint256 internal constant DAY = 24 hours;

    CityYuan internal token;
    RedPacket internal redPacket;

    address internal alice;
    uint256 internal alicePk;
    address internal bob;
    address internal carol;
    address internal dave;
    address internal relayer;
    address internal linkKey;
    uint256 internal linkPk;

    function setUp() public virtual {
        vm.warp(START);
        token = new CityYuan(address(this), 1 days);
        token.grantRole(token.ISSUER_ROLE(), address(this));
        token.grantRole(token.COMPLIANCE_ROLE(), address(this));
        token.grantRole(token.PAUSER_ROLE(), address(this));
        token.grantRole(token.ATTESTER_ROLE(), address(this));
        token.increaseIssuerAllowance(address(this), type(uint128).max);
        token.attestReserves(type(uint128).max, keccak256("reserve report"), "ipfs://report");
        redPacket = new RedPacket(ICityYuan(address(token)), address(this), 1 days);

        (alice, alicePk) = makeAccount("alice");
        (bob, ) = makeAccount("bob");
        (carol, ) = makeAccount("carol");
        (dave, ) = makeAccount("dave");
        (relayer, ) = makeAccount("relayer");
        (linkKey, linkPk) = makeAccount("link one-time key");
        _fund(alice, 1_000_000);
    }

    // ───────────────────────────── helpers ─────────────────────────────

    function _fund(address account, uint256 amount) internal {
        token.issue(account, amount, BANK_REF);
    }

    function _key(address account) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(account)));
    }

    function _spec(
        uint256 amount,
        uint256 shares,
        IRedPacket.Mode mode,
        IRedPacket.Audience audience,
        bytes32 audienceKey
    ) internal pure returns (IRedPacket.PacketSpec memory) {
        return
            IRedPacket.PacketSpec({
                amount: amount,
                shares: shares,
                mode: mode,
                audience: audience,
                audienceKey: audienceKey,
                duration: 0,
                greeting: unicode"恭喜发财"
            });
    }

    /// @dev `sender` approves exactly the amount and creates.
    function _create(address sender, IRedPacket.PacketSpec memory spec) internal returns (uint256 packetId) {
        vm.prank(sender);
        token.approve(address(redPacket), spec.amount);
        vm.prank(sender);
        packetId = redPacket.create(spec);
    }

    function _createLink(uint256 amount, uint256 shares, IRedPacket.Mode mode) internal returns (uint256) {
        return _create(alice, _spec(amount, shares, mode, IRedPacket.Audience.Link, _key(linkKey)));
    }

    function _createFriend(uint256 amount, address friend) internal returns (uint256) {
        return _create(alice, _spec(amount, 1, IRedPacket.Mode.Equal, IRedPacket.Audience.Friend, _key(friend)));
    }

    function _signClaim(
        RedPacket target,
        uint256 pk,
        uint256 packetId,
        address claimer
    ) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, target.claimDigest(packetId, claimer));
        return abi.encodePacked(r, s, v);
    }

    function _claimByLink(uint256 packetId, address claimer) internal returns (uint256 amount) {
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, claimer);
        vm.prank(claimer);
        amount = redPacket.claimWithSignature(packetId, signature);
    }

    function _signPermit(
        uint256 ownerPk,
        address owner,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, address(redPacket), value, token.nonces(owner), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        return vm.sign(ownerPk, digest);
    }

    /// @dev Leaf of OpenZeppelin's StandardMerkleTree of ["address"], as the contract hashes it.
    function _leaf(address account) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account))));
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}
