// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The resident's smart account: ERC-4337, signed with passkeys (WebAuthn, P-256)
/// @notice Holds HCY like any address. Every operation is signed by one of the account's passkeys
/// (the fingerprint, face or screen lock of a phone, tablet or computer). Passkeys are added and
/// removed by operations of the account itself, so adding a device needs a signature of a device
/// the account already trusts, and a lost device is removed from any other one. The last passkey
/// cannot be removed: an account without one could never move its money again.
///
/// A signature (of a user operation, or under ERC-1271 through ERC-7739) is one passkey and its
/// WebAuthn assertion, packed: `qx (32 bytes) ‖ qy (32) ‖ r (32) ‖ s (32) ‖ challengeIndex (2) ‖
/// typeIndex (2) ‖ authenticatorData length (2) ‖ authenticatorData ‖ clientDataJSON`, the indices
/// being where `"challenge":"` and `"type":"webauthn.get"` start in `clientDataJSON` (as in
/// OpenZeppelin's `WebAuthn.WebAuthnAuth`). Anything else validates nothing.
interface ICityAccount {
    /// @notice A passkey's P-256 public key.
    struct Passkey {
        bytes32 qx;
        bytes32 qy;
    }

    /// @notice Thrown when a passkey's public key is not a point of the P-256 curve.
    /// @param qx The key's x coordinate.
    /// @param qy The key's y coordinate.
    error CityAccountInvalidPasskey(bytes32 qx, bytes32 qy);

    /// @notice Thrown when removing the account's only passkey.
    /// @param qx The x coordinate of the passkey that would be removed.
    /// @param qy The y coordinate of the passkey that would be removed.
    error CityAccountLastPasskey(bytes32 qx, bytes32 qy);

    /// @notice Thrown when the EntryPoint validates a second operation of the account within one
    /// transaction. Every validation of a bundle runs before any execution, so a later operation
    /// would be checked against the passkeys as they were before an earlier one (a removal) ran.
    /// @param nonce The nonce of the refused operation.
    error CityAccountOneOperationPerTransaction(uint256 nonce);

    /// @notice Thrown when anyone but the account recovery contract calls {recoverPasskeys}.
    /// @param caller The refused caller.
    error CityAccountNotRecovery(address caller);

    /// @notice Sets the first passkey of a new account (called once, by the factory).
    function initialize(bytes32 qx, bytes32 qy) external;

    /// @notice Adds a device's passkey. Only through the EntryPoint (an operation signed by a
    /// passkey of this account) or the account itself.
    /// @param qx,qy The passkey's P-256 public key.
    function addPasskey(bytes32 qx, bytes32 qy) external;

    /// @notice Removes a passkey (a lost or replaced device). Same callers as {addPasskey}.
    function removePasskey(bytes32 qx, bytes32 qy) external;

    /// @notice Whether the P-256 key `(qx, qy)` is one of the account's passkeys.
    function isPasskey(bytes32 qx, bytes32 qy) external view returns (bool);

    /// @notice How many passkeys (devices) the account has.
    function passkeyCount() external view returns (uint256);

    /// @notice The ERC-7913 signer of a passkey as the account stores it: the WebAuthn verifier's
    /// address followed by `qx` and `qy`. A signature names its signer this way.
    function passkeySigner(bytes32 qx, bytes32 qy) external view returns (bytes memory);

    /// @notice Adds the passkey `(qx, qy)` of a recovered device and removes those of `lost` the account
    /// still has (never the new one). Only the account recovery contract calls it, after the
    /// resident's guardians approved and the delay passed; it is the one thing that contract can do
    /// to the account.
    function recoverPasskeys(bytes32 qx, bytes32 qy, Passkey[] calldata lost) external;

    /// @notice The account recovery contract (the only caller of {recoverPasskeys}).
    function passkeyRecovery() external view returns (address);
}
