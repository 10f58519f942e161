// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture of the account, factory and paymaster tests: the real v0.8 EntryPoint (compiled
// from @account-abstraction/contracts), the city contracts the paymaster sponsors, and helpers that
// sign user operations the way a browser's passkey does (WebAuthn assertion over the
// user-operation hash, P-256 signature by the cheatcode `signP256`).

import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {ERC4337Utils, IEntryPointExtra} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {CityAccountFactory} from "../../../contracts/accounts/CityAccountFactory.sol";
import {CityPaymaster} from "../../../contracts/accounts/CityPaymaster.sol";
import {CityRecovery} from "../../../contracts/accounts/CityRecovery.sol";
import {DelayedTransfers} from "../../../contracts/DelayedTransfers.sol";
import {FamilyCards} from "../../../contracts/FamilyCards.sol";
import {ICityPaymaster} from "../../../contracts/interfaces/ICityPaymaster.sol";
import {IMerchantRegistry} from "../../../contracts/interfaces/IMerchantRegistry.sol";
import {MerchantRegistry} from "../../../contracts/MerchantRegistry.sol";
import {RedPacket} from "../../../contracts/RedPacket.sol";
import {Vouchers} from "../../../contracts/Vouchers.sol";
import {CityYuanFixture} from "../utils/CityYuanFixture.sol";

/// @notice The P-256 cheatcodes (EDR implements Foundry's), beside those of ../utils/Vm.sol.
interface VmP256 {
    function signP256(uint256 privateKey, bytes32 digest) external pure returns (bytes32 r, bytes32 s);
    function publicKeyP256(uint256 privateKey) external pure returns (uint256 x, uint256 y);
}

abstract contract CityAccountFixture is CityYuanFixture {
    VmP256 internal constant vmP256 = VmP256(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;
    /// @dev ERC-7821 single batch mode, as CityAccount runs it.
    bytes32 internal constant BATCH_MODE = bytes32(uint256(1) << 248);
    /// @dev Generous limits for one operation (the paymaster's caps are what the tests probe).
    uint256 internal constant VERIFICATION_GAS = 900_000;
    uint256 internal constant CALL_GAS = 400_000;
    uint256 internal constant PRE_VERIFICATION_GAS = 60_000;
    uint256 internal constant PAYMASTER_GAS = 150_000;
    uint256 internal constant FEE = 1 gwei;
    uint256 internal constant PAYMASTER_DEPOSIT = 10 ether;
    /// @dev How long the city service's sponsorship signatures stay valid in these tests.
    uint48 internal constant SPONSORSHIP_LIFETIME = 10 minutes;
    /// @dev Recovery delays, as the city deploys them: family approvals, and when the desk's was needed.
    uint48 internal constant FAMILY_DELAY = 48 hours;
    uint48 internal constant DESK_DELAY = 7 days;

    IEntryPoint internal entryPoint;
    CityAccountFactory internal factory;
    CityRecovery internal recovery;
    CityPaymaster internal paymaster;
    RedPacket internal redPacket;
    Vouchers internal vouchers;
    MerchantRegistry internal registry;
    FamilyCards internal familyCards;
    DelayedTransfers internal delayedTransfers;

    address internal policyOfficer = makeAddr("policyOfficer");
    address internal treasurer = makeAddr("treasurer");
    address internal paymasterPauser = makeAddr("paymasterPauser");
    address payable internal bundler = payable(makeAddr("bundler"));
    /// @dev The city service's sponsorship key (secp256k1), SPONSOR_SIGNER_ROLE.
    uint256 internal sponsorPk = uint256(keccak256("city service sponsorship key"));

    // Two devices of one resident, and a stranger's.
    uint256 internal phonePk = uint256(keccak256("resident phone passkey")) % P256_N;
    uint256 internal tabletPk = uint256(keccak256("resident tablet passkey")) % P256_N;
    uint256 internal strangerPk = uint256(keccak256("stranger passkey")) % P256_N;

    function setUp() public virtual override {
        super.setUp();
        entryPoint = IEntryPoint(address(new EntryPoint()));
        recovery = new CityRecovery(FAMILY_DELAY, DESK_DELAY, admin, ADMIN_DELAY);
        factory = new CityAccountFactory(entryPoint, address(recovery));
        redPacket = new RedPacket(token, admin, ADMIN_DELAY);
        registry = new MerchantRegistry(admin, ADMIN_DELAY);
        vouchers = new Vouchers(token, IMerchantRegistry(address(registry)), admin, ADMIN_DELAY);
        familyCards = new FamilyCards(token, IMerchantRegistry(address(registry)));
        delayedTransfers = new DelayedTransfers(token, IMerchantRegistry(address(registry)));
        paymaster = new CityPaymaster(
            entryPoint,
            factory,
            _sponsoredContracts(),
            _defaultPolicy(),
            vm.addr(sponsorPk),
            admin,
            ADMIN_DELAY
        );
        vm.startPrank(admin);
        paymaster.grantRole(paymaster.POLICY_ROLE(), policyOfficer);
        paymaster.grantRole(paymaster.TREASURER_ROLE(), treasurer);
        paymaster.grantRole(paymaster.PAUSER_ROLE(), paymasterPauser);
        vm.stopPrank();
        vm.deal(treasurer, 100 ether);
        vm.startPrank(treasurer);
        paymaster.deposit{value: PAYMASTER_DEPOSIT}();
        vm.stopPrank();
    }

    function _sponsoredContracts() internal view returns (ICityPaymaster.CityContracts memory) {
        return
            ICityPaymaster.CityContracts({
                cityYuan: address(token),
                redPacket: address(redPacket),
                vouchers: address(vouchers),
                familyCards: address(familyCards),
                delayedTransfers: address(delayedTransfers),
                recovery: address(recovery)
            });
    }

    function _defaultPolicy() internal pure returns (ICityPaymaster.Policy memory) {
        return
            ICityPaymaster.Policy({
                maxCallGas: uint32(CALL_GAS),
                maxVerificationGas: uint32(VERIFICATION_GAS),
                maxPreVerificationGas: uint32(PRE_VERIFICATION_GAS),
                maxPaymasterGas: uint32(PAYMASTER_GAS),
                maxFeePerGas: uint128(FEE)
            });
    }

    // ───────────────────────────── passkeys ─────────────────────────────

    function _key(uint256 pk) internal pure returns (bytes32 qx, bytes32 qy) {
        (uint256 x, uint256 y) = vmP256.publicKeyP256(pk);
        (qx, qy) = (bytes32(x), bytes32(y));
    }

    function _addressOf(uint256 pk) internal view returns (address) {
        (bytes32 qx, bytes32 qy) = _key(pk);
        return factory.accountAddress(qx, qy);
    }

    function _createAccount(uint256 pk) internal returns (CityAccount) {
        (bytes32 qx, bytes32 qy) = _key(pk);
        return CityAccount(payable(factory.createAccount(qx, qy)));
    }

    /// @dev A WebAuthn assertion as a browser returns it (authenticator data with user present and
    /// user verified, client data JSON with the base64url challenge), in the account's packed
    /// encoding after the key: `r ‖ s ‖ challengeIndex ‖ typeIndex ‖ authenticatorData length ‖
    /// authenticatorData ‖ clientDataJSON`.
    function _webAuthn(uint256 pk, bytes32 challenge, bytes1 flags) internal pure returns (bytes memory) {
        bytes memory authenticatorData = abi.encodePacked(sha256("localhost"), flags, uint32(1));
        string memory clientDataJSON = string.concat(
            '{"type":"webauthn.get","challenge":"',
            Base64.encodeURL(abi.encodePacked(challenge)),
            '","origin":"http://localhost:5173","crossOrigin":false}'
        );
        bytes32 digest = sha256(abi.encodePacked(authenticatorData, sha256(bytes(clientDataJSON))));
        (bytes32 r, bytes32 s) = vmP256.signP256(pk, digest);
        if (uint256(s) > P256_N / 2) s = bytes32(P256_N - uint256(s)); // low-s, as P256.verify wants
        return
            abi.encodePacked(
                r,
                s,
                uint16(23),
                uint16(1),
                uint16(authenticatorData.length),
                authenticatorData,
                clientDataJSON
            );
    }

    /// @dev The account's signature format: the passkey's key, then its WebAuthn assertion.
    function _signature(uint256 pk, bytes32 hash) internal pure returns (bytes memory) {
        return _signatureWithFlags(pk, hash, 0x05); // user present + user verified
    }

    function _signatureWithFlags(uint256 pk, bytes32 hash, bytes1 flags) internal pure returns (bytes memory) {
        (bytes32 qx, bytes32 qy) = _key(pk);
        return abi.encodePacked(qx, qy, _webAuthn(pk, hash, flags));
    }

    // ───────────────────────────── user operations ─────────────────────────────

    function _call(address target, bytes memory data) internal pure returns (Execution[] memory calls) {
        calls = new Execution[](1);
        calls[0] = Execution(target, 0, data);
    }

    function _execute(Execution[] memory calls) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("execute(bytes32,bytes)", BATCH_MODE, abi.encode(calls));
    }

    /// @dev An operation of the account of `pk` (with initCode if it is not deployed yet), not yet
    /// signed by the account, sponsored by the city service's key for the next ten minutes.
    function _op(uint256 pk, bytes memory callData) internal view returns (PackedUserOperation memory op) {
        address sender = _addressOf(pk);
        (bytes32 qx, bytes32 qy) = _key(pk);
        op.sender = sender;
        op.nonce = entryPoint.getNonce(sender, 0);
        if (sender.code.length == 0) {
            op.initCode = abi.encodePacked(address(factory), abi.encodeCall(factory.createAccount, (qx, qy)));
        }
        op.callData = callData;
        op.accountGasLimits = bytes32((VERIFICATION_GAS << 128) | CALL_GAS);
        op.preVerificationGas = PRE_VERIFICATION_GAS;
        op.gasFees = bytes32((FEE << 128) | FEE);
        op = _sponsor(op);
    }

    /// @dev Signs `op` (as it is now) as the city service does, valid from the second before this
    /// block (the EntryPoint wants validAfter < now) for SPONSORSHIP_LIFETIME, with the paymaster's
    /// default gas limits. Call it again after changing any field the signature covers.
    function _sponsor(PackedUserOperation memory op) internal view returns (PackedUserOperation memory) {
        uint48 start = _windowStart();
        return _sponsorBy(op, sponsorPk, start, start + SPONSORSHIP_LIFETIME);
    }

    /// @dev The second before this block: the start of a window that is open now.
    function _windowStart() internal view returns (uint48) {
        return uint48(block.timestamp) - 1;
    }

    /// @dev `op` sponsored by `pk` for the window [validAfter, validUntil].
    function _sponsorBy(
        PackedUserOperation memory op,
        uint256 pk,
        uint48 validAfter,
        uint48 validUntil
    ) internal view returns (PackedUserOperation memory) {
        return _sponsorWithGas(op, pk, validAfter, validUntil, PAYMASTER_GAS, PAYMASTER_GAS);
    }

    /// @dev `op` sponsored by `pk` for [validAfter, validUntil] with the paymaster's gas limits given.
    function _sponsorWithGas(
        PackedUserOperation memory op,
        uint256 pk,
        uint48 validAfter,
        uint48 validUntil,
        uint256 verificationGas,
        uint256 postOpGas
    ) internal view returns (PackedUserOperation memory) {
        op.paymasterAndData = _paymasterAndData(verificationGas, postOpGas, validAfter, validUntil, "");
        bytes32 digest = paymaster.sponsorshipHash(op, validAfter, validUntil);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        op.paymasterAndData = _paymasterAndData(
            verificationGas,
            postOpGas,
            validAfter,
            validUntil,
            abi.encodePacked(r, s, v)
        );
        return op;
    }

    /// @dev The next handled operation must fail validation with the EntryPoint's "AA24 signature error".
    function _expectSignatureError() internal {
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
    }

    /// @dev Alice sends `amount` to the account `pk`'s passkey controls (created or not yet).
    function _fundAccountOf(uint256 pk, uint256 amount) internal returns (address account) {
        account = _addressOf(pk);
        vm.prank(alice);
        token.transfer(account, amount);
    }

    /// @dev The paymaster's part of an operation: its own gas limits, then `paymasterData`.
    function _paymasterAndData(
        uint256 verificationGas,
        uint256 postOpGas,
        uint48 validAfter,
        uint48 validUntil,
        bytes memory signature
    ) internal view returns (bytes memory) {
        return
            abi.encodePacked(
                address(paymaster),
                uint128(verificationGas),
                uint128(postOpGas),
                validAfter,
                validUntil,
                signature
            );
    }

    function _hash(PackedUserOperation memory op) internal view returns (bytes32) {
        return IEntryPointExtra(address(entryPoint)).getUserOpHash(op);
    }

    function _sign(PackedUserOperation memory op, uint256 pk) internal view returns (PackedUserOperation memory) {
        op.signature = _signature(pk, _hash(op));
        return op;
    }

    function _handle(PackedUserOperation memory op) internal {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.prank(bundler);
        entryPoint.handleOps(ops, bundler);
    }

    /// @dev Expects handleOps to fail with the paymaster's validation revert `inner`.
    function _expectPaymasterRefusal(bytes memory inner) internal {
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOpWithRevert.selector, 0, "AA33 reverted", inner));
    }

    /// @dev Calls the paymaster's validation as the EntryPoint does, to probe one rule directly.
    function _validate(PackedUserOperation memory op) internal returns (bytes memory context, uint256 validationData) {
        vm.prank(address(entryPoint));
        return paymaster.validatePaymasterUserOp(op, bytes32(0), _maxCost(op));
    }

    /// @dev Expects the paymaster's validation of `op` to revert with `error_`.
    function _refused(PackedUserOperation memory op, bytes memory error_) internal {
        uint256 maxCost = _maxCost(op);
        _expectRevertAs(address(entryPoint), error_);
        paymaster.validatePaymasterUserOp(op, bytes32(0), maxCost);
    }

    function _maxCost(PackedUserOperation memory op) internal pure returns (uint256) {
        uint256 gas =
            (uint256(op.accountGasLimits) >> 128) +
                uint128(uint256(op.accountGasLimits)) +
                op.preVerificationGas +
                2 * PAYMASTER_GAS;
        return gas * (uint256(op.gasFees) & type(uint128).max);
    }

    function _transfer(address to, uint256 amount) internal view returns (bytes memory) {
        return _execute(_call(address(token), abi.encodeCall(token.transfer, (to, amount))));
    }

    /// @dev The validity window a validation returned.
    function _window(uint256 validationData) internal pure returns (uint48 validAfter, uint48 validUntil) {
        (, validAfter, validUntil, ) = ERC4337Utils.parseValidationData(validationData);
    }
}
