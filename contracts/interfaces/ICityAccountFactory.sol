// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Creates residents' accounts at addresses known before they exist
/// @notice Each account is a minimal proxy (ERC-1167) of one audited implementation, created with
/// CREATE2 and a salt derived from its first passkey. Its address can therefore receive HCY, be
/// shown as a QR code or named in a red packet before the first operation deploys it (the
/// EntryPoint calls {createAccount} through the operation's `initCode`).
interface ICityAccountFactory {
    /// @notice Emitted when an account is created.
    /// @param account The new account's address.
    /// @param qx The x coordinate of its first passkey (P-256).
    /// @param qy The y coordinate of its first passkey.
    event CityAccountCreated(address indexed account, bytes32 qx, bytes32 qy);

    /// @notice Creates the account of the passkey `(qx, qy)`, or returns it if it exists.
    /// Anyone may call it: the address and the first passkey are fixed by the salt, so a
    /// front-runner can only create the very account the resident wanted.
    function createAccount(bytes32 qx, bytes32 qy) external returns (address account);

    /// @notice The address {createAccount} gives (or gave) for this first passkey.
    function accountAddress(bytes32 qx, bytes32 qy) external view returns (address);

    /// @notice Whether `account` runs the city account's code (a clone of the implementation).
    function isCityAccount(address account) external view returns (bool);

    /// @notice The code hash (EXTCODEHASH) every city account has: that of a clone of the
    /// implementation. {isCityAccount} compares with it; the paymaster keeps a copy.
    function accountCodeHash() external view returns (bytes32);

    /// @notice The account implementation every clone delegates to.
    function accountImplementation() external view returns (address);

    /// @notice The ERC-7913 WebAuthn verifier the accounts' passkeys are checked with.
    function webAuthnVerifier() external view returns (address);
}
