// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";
import {AbstractSigner} from "@openzeppelin/contracts/utils/cryptography/signers/AbstractSigner.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {MultiSignerERC7913} from "@openzeppelin/contracts/utils/cryptography/signers/MultiSignerERC7913.sol";
import {ICityAccount} from "../interfaces/ICityAccount.sol";

/// @title CityAccount: the resident's passkey account (one implementation, cloned per resident)
/// @notice OpenZeppelin's `Account` for the v0.8 EntryPoint, `ERC7821` batched calls (one operation
/// can approve then create a red packet), `MultiSignerERC7913` holding the passkeys as ERC-7913
/// signers (OpenZeppelin's `ERC7913WebAuthnVerifier` ‖ x ‖ y) with threshold 1, each signature
/// checked here with the verifier's own library (`WebAuthn.verify`, user verification required)
/// rather than by calling the verifier, and `ERC7739` for ERC-1271 signatures (Sign-In with
/// Ethereum) that cannot be replayed on another account or chain. The signature is packed (see
/// ICityAccount): the passkey, then its assertion.
///
/// Threat model:
/// - **Who can move money.** Only an operation (or ERC-1271 signature) carrying a WebAuthn
///   assertion of one of the account's passkeys over the EntryPoint's user-operation hash, which is
///   EIP-712 over the chain id and the EntryPoint: a signature is worth nothing on another chain,
///   another EntryPoint or another account. The authenticator must report user presence and user
///   verification (fingerprint, face, screen lock).
/// - **Devices.** Any passkey can add or remove any other (threshold 1: a resident with one phone
///   must be able to act alone). So a device that is stolen *and* unlocked can lock the resident's
///   other devices out; the defence is the platform's own lock and removing a lost device quickly
///   from another one. The last passkey cannot be removed.
/// - **Recovery.** One more caller changes passkeys: the recovery contract fixed in the
///   implementation, through {recoverPasskeys} only (add a key, remove lost ones), after the
///   resident's guardians approved and a delay she could cancel in passed (see CityRecovery). It
///   cannot call {execute} or anything else, so guardians never move money.
/// - **A removal takes effect at once.** The EntryPoint validates every operation of a bundle before
///   it executes any, so an operation signed by a passkey that an earlier operation of the same
///   bundle removes would pass validation and then run with the key already gone (a thief racing the
///   removal with a bundle of his own: `handleOps` is open to anyone). The account therefore
///   validates at most one operation per transaction (a transient flag) and refuses a second with
///   `CityAccountOneOperationPerTransaction`; the next transaction's validation sees the removal.
///   Bundlers put one operation per sender in a bundle anyway (Alto's default
///   `--enforce-unique-senders-per-bundle`), so honest bundles never meet this refusal.
/// - **Passkeys only.** Only P-256 keys (checked to lie on the curve) behind the WebAuthn verifier
///   can be added; an EOA or another verifier cannot be slipped in as a signer. A signature names
///   the key (x, y) it was made with; it counts only if that key is one of the account's passkeys
///   and the P-256 signature over the WebAuthn data verifies with it (low `s`, key on the curve).
/// - **Implementation.** The implementation itself is locked (initializers disabled) and its one
///   signer is the point (0, 0), which is not on the curve, so no signature ever validates on it.
///   A clone without a passkey (not created by the factory) validates nothing either.
/// - **Not covered.** The WebAuthn origin is not checked on chain (OpenZeppelin's choice: the
///   browser binds the passkey to the relying party); social recovery is not built in.
contract CityAccount is ICityAccount, Account, EIP712, ERC7739, ERC7821, MultiSignerERC7913, Initializable {
    IEntryPoint private immutable _entryPoint;
    address private immutable _verifier;
    /// @dev The only caller of {recoverPasskeys} (guardians' recoveries, see CityRecovery).
    address private immutable _recovery;
    /// @dev Set by the first validation in a transaction (EIP-1153: cleared when the transaction ends).
    bool private transient _validatedInThisTransaction;
    /// @dev qx, qy, r, s (32 bytes each), challengeIndex, typeIndex, authenticatorData length (2 each).
    uint256 private constant _SIGNATURE_HEAD = 134;

    /// @param entryPoint_ The EntryPoint (v0.8: 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108).
    /// @param verifier The ERC-7913 WebAuthn verifier every passkey is checked with.
    /// @param recovery The account recovery contract (CityRecovery).
    constructor(
        IEntryPoint entryPoint_,
        address verifier,
        address recovery
    ) EIP712("Hefei City Account", "1") MultiSignerERC7913(_lockedSigner(verifier), 1) {
        _entryPoint = entryPoint_;
        _verifier = verifier;
        _recovery = recovery;
        _disableInitializers();
    }

    // ───────────────────────────── passkeys ─────────────────────────────

    /// @inheritdoc ICityAccount
    function initialize(bytes32 qx, bytes32 qy) external initializer {
        _addPasskey(qx, qy);
        _setThreshold(1);
    }

    /// @inheritdoc ICityAccount
    function addPasskey(bytes32 qx, bytes32 qy) external onlyEntryPointOrSelf {
        _addPasskey(qx, qy);
    }

    /// @inheritdoc ICityAccount
    function removePasskey(bytes32 qx, bytes32 qy) external onlyEntryPointOrSelf {
        if (getSignerCount() == 1 && isPasskey(qx, qy)) revert CityAccountLastPasskey(qx, qy);
        bytes[] memory signers = new bytes[](1);
        signers[0] = passkeySigner(qx, qy);
        _removeSigners(signers);
    }

    /// @inheritdoc ICityAccount
    function recoverPasskeys(bytes32 qx, bytes32 qy, Passkey[] calldata lost) external {
        if (msg.sender != _recovery) revert CityAccountNotRecovery(msg.sender);
        if (!isPasskey(qx, qy)) _addPasskey(qx, qy);
        for (uint256 i = 0; i < lost.length; ++i) {
            Passkey calldata key = lost[i];
            // The new passkey stays, so the account never ends without one.
            if ((key.qx != qx || key.qy != qy) && isPasskey(key.qx, key.qy)) {
                bytes[] memory signers = new bytes[](1);
                signers[0] = passkeySigner(key.qx, key.qy);
                _removeSigners(signers);
            }
        }
    }

    /// @inheritdoc ICityAccount
    function passkeyRecovery() external view returns (address) {
        return _recovery;
    }

    /// @inheritdoc ICityAccount
    function isPasskey(bytes32 qx, bytes32 qy) public view returns (bool) {
        return isSigner(passkeySigner(qx, qy));
    }

    /// @inheritdoc ICityAccount
    function passkeyCount() external view returns (uint256) {
        return getSignerCount();
    }

    /// @inheritdoc ICityAccount
    function passkeySigner(bytes32 qx, bytes32 qy) public view returns (bytes memory) {
        return abi.encodePacked(_verifier, qx, qy);
    }

    // ───────────────────────────── ERC-4337 ─────────────────────────────

    /// @inheritdoc Account
    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    // ───────────────────────────── internal ─────────────────────────────

    /// @dev One operation per transaction: see "A removal takes effect at once" above. The flag is
    /// the account's own (transient) storage, which ERC-7562 lets a sender's validation use.
    function _validateUserOp(
        PackedUserOperation calldata userOp,
        bytes32 userOpHash,
        bytes calldata signature
    ) internal override returns (uint256) {
        if (_validatedInThisTransaction) revert CityAccountOneOperationPerTransaction(userOp.nonce);
        _validatedInThisTransaction = true;
        return super._validateUserOp(userOp, userOpHash, signature);
    }

    function _addPasskey(bytes32 qx, bytes32 qy) private {
        if (!P256.isValidPublicKey(qx, qy)) revert CityAccountInvalidPasskey(qx, qy);
        bytes[] memory signers = new bytes[](1);
        signers[0] = passkeySigner(qx, qy);
        _addSigners(signers);
    }

    /// @dev The EntryPoint may run batches (the operation's call data is `execute`), besides the
    /// account itself.
    function _erc7821AuthorizedExecutor(
        address caller,
        bytes32 mode,
        bytes calldata executionData
    ) internal view override returns (bool) {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }

    /// @dev A passkey signature (see {ICityAccount}): `qx ‖ qy ‖ r ‖ s ‖ challengeIndex (2 bytes) ‖
    /// typeIndex (2) ‖ authenticatorData length (2) ‖ authenticatorData ‖ clientDataJSON`. The passkey
    /// must be one of the account's; the assertion is checked as the signer's ERC-7913 verifier
    /// (OpenZeppelin's `ERC7913WebAuthnVerifier`) checks it, with the same library: `WebAuthn.verify`
    /// with user verification required, the key on the curve, low `s`. Running it here instead of
    /// calling the verifier saves the call; the only verifier a passkey can name is `_verifier`. A clone
    /// that was never initialized knows no passkey, so it validates nothing, and the implementation's
    /// one signer is off the curve.
    function _rawSignatureValidation(
        bytes32 hash,
        bytes calldata signature
    ) internal view override(AbstractSigner, MultiSignerERC7913) returns (bool) {
        if (signature.length < _SIGNATURE_HEAD) return false;
        uint256 authenticatorDataEnd = _SIGNATURE_HEAD + uint16(bytes2(signature[132:134]));
        if (signature.length < authenticatorDataEnd) return false;
        bytes32 qx = bytes32(signature[0:32]);
        bytes32 qy = bytes32(signature[32:64]);
        if (!isPasskey(qx, qy)) return false;
        WebAuthn.WebAuthnAuth memory auth = WebAuthn.WebAuthnAuth({
            r: bytes32(signature[64:96]),
            s: bytes32(signature[96:128]),
            challengeIndex: uint16(bytes2(signature[128:130])),
            typeIndex: uint16(bytes2(signature[130:132])),
            authenticatorData: signature[_SIGNATURE_HEAD:authenticatorDataEnd],
            clientDataJSON: string(signature[authenticatorDataEnd:])
        });
        return WebAuthn.verify(abi.encodePacked(hash), auth, qx, qy, true);
    }

    /// @dev The implementation's own signer: the verifier with the point (0, 0), off the curve.
    function _lockedSigner(address verifier) private pure returns (bytes[] memory signers) {
        signers = new bytes[](1);
        signers[0] = abi.encodePacked(verifier, bytes32(0), bytes32(0));
    }
}
