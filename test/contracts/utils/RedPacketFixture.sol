// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the RedPacket tests: a CityYuan whose admin, issuer, compliance officer and
// pauser is the test contract, a RedPacket escrowing it, funded residents, and helpers that create
// packets and sign link claims and permits the way the dApp does.

import {CityYuan} from "../../../contracts/CityYuan.sol";
import {RedPacket} from "../../../contracts/RedPacket.sol";
import {ICityYuan} from "../../../contracts/interfaces/ICityYuan.sol";
import {IRedPacket} from "../../../contracts/interfaces/IRedPacket.sol";
import {deployCityYuanOwnedBy, issueWithFreshReport} from "./EscrowToken.sol";
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
    address internal ticketSigner;
    uint256 internal ticketPk;
    uint256 internal bobPk;

    function setUp() public virtual {
        vm.warp(START);
        token = deployCityYuanOwnedBy(address(this), 1 days);
        redPacket = new RedPacket(ICityYuan(address(token)), address(this), 1 days);

        (alice, alicePk) = makeAccount("alice");
        (bob, bobPk) = makeAccount("bob");
        (carol, ) = makeAccount("carol");
        (dave, ) = makeAccount("dave");
        (relayer, ) = makeAccount("relayer");
        (linkKey, linkPk) = makeAccount("link one-time key");
        (ticketSigner, ticketPk) = makeAccount("city service ticket key");
        redPacket.setTicketSigner(ticketSigner);
        _fund(alice, 1_000_000);
    }

    // ───────────────────────────── helpers ─────────────────────────────

    uint256 private _deposits;

    /// @dev Issues `amount` to `account` under a new bank reference (one issue per reference).
    function _fund(address account, uint256 amount) internal {
        issueWithFreshReport(token, account, amount, keccak256(abi.encode(BANK_REF, ++_deposits)));
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

    /// @dev A packet for whoever holds the fixture's link key.
    function _linkSpec(
        uint256 amount,
        uint256 shares,
        IRedPacket.Mode mode
    ) internal view returns (IRedPacket.PacketSpec memory) {
        return _spec(amount, shares, mode, IRedPacket.Audience.Link, _key(linkKey));
    }

    /// @dev `sender` approves exactly the amount and creates.
    function _create(address sender, IRedPacket.PacketSpec memory spec) internal returns (uint256 packetId) {
        return _createOn(redPacket, sender, spec);
    }

    /// @dev As {_create}, on another RedPacket deployment.
    function _createOn(
        RedPacket target,
        address sender,
        IRedPacket.PacketSpec memory spec
    ) internal returns (uint256 packetId) {
        vm.prank(sender);
        token.approve(address(target), spec.amount);
        vm.prank(sender);
        packetId = target.create(spec);
    }

    function _createLink(uint256 amount, uint256 shares, IRedPacket.Mode mode) internal returns (uint256) {
        return _create(alice, _linkSpec(amount, shares, mode));
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

    /// @dev As {_claimByLink}, but the claim must revert with exactly `reason`.
    function _claimByLinkReverts(uint256 packetId, address claimer, bytes memory reason) internal {
        bytes memory signature = _signClaim(redPacket, linkPk, packetId, claimer);
        _expectRevertAs(claimer, reason);
        redPacket.claimWithSignature(packetId, signature);
    }

    /// @dev The next block, as a chain would give the claim that follows.
    function _nextBlock() internal {
        vm.roll(block.number + 1);
    }

    /// @dev A link claim, then, for a random share that was only committed, the draw one block
    /// later: returns what the claimer received either way.
    function _claimAndDraw(uint256 packetId, address claimer) internal returns (uint256 amount) {
        amount = _claimByLink(packetId, claimer);
        (address waiting, , ) = redPacket.pendingDraw(packetId);
        if (waiting == claimer) {
            _nextBlock();
            amount = redPacket.settle(packetId);
        }
        _nextBlock();
    }

    function _signConsent(uint256 claimerPk, uint256 packetId, uint256 deadline) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            claimerPk,
            redPacket.consentDigest(packetId, vm.addr(claimerPk), deadline)
        );
        return abi.encodePacked(r, s, v);
    }

    function _signTicket(
        RedPacket target,
        uint256 pk,
        uint256 packetId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline
    ) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, target.ticketDigest(packetId, claimer, nullifier, deadline));
        return abi.encodePacked(r, s, v);
    }

    /// @dev `spec`, for verified residents only (who also need the link).
    function _forResidents(IRedPacket.PacketSpec memory spec) internal pure returns (IRedPacket.PacketSpec memory) {
        spec.audience = IRedPacket.Audience.Residents;
        return spec;
    }

    function _createResidents(uint256 amount, uint256 shares, IRedPacket.Mode mode) internal returns (uint256) {
        return _create(alice, _forResidents(_linkSpec(amount, shares, mode)));
    }

    /// @dev `claimer` claims `packetId` on `target` as a resident (with a link signature made now)
    /// and `ticket`; the claim must revert with exactly `reason`.
    function _claimAsResidentReverts(
        RedPacket target,
        uint256 packetId,
        address claimer,
        bytes32 nullifier,
        uint256 deadline,
        bytes memory ticket,
        bytes memory reason
    ) internal {
        bytes memory linkSignature = _signClaim(target, linkPk, packetId, claimer);
        _expectRevertAs(claimer, reason);
        target.claimAsResident(packetId, linkSignature, nullifier, deadline, ticket);
    }

    /// @dev A resident's claim with the link signature and a fresh ticket for `nullifier`.
    function _claimAsResident(uint256 packetId, address claimer, bytes32 nullifier) internal returns (uint256) {
        bytes memory linkSignature = _signClaim(redPacket, linkPk, packetId, claimer);
        uint256 deadline = block.timestamp + 10 minutes;
        bytes memory ticket = _signTicket(redPacket, ticketPk, packetId, claimer, nullifier, deadline);
        vm.prank(claimer);
        return redPacket.claimAsResident(packetId, linkSignature, nullifier, deadline, ticket);
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
