// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEntryPoint} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {ERC7913WebAuthnVerifier} from "@openzeppelin/contracts/utils/cryptography/verifiers/ERC7913WebAuthnVerifier.sol";
import {ICityAccountFactory} from "../interfaces/ICityAccountFactory.sol";
import {CityAccount} from "./CityAccount.sol";

/// @title CityAccountFactory: CREATE2 clones of CityAccount, one per first passkey
/// @notice Deploys, in its constructor, OpenZeppelin's WebAuthn verifier and the account
/// implementation; each account is then an ERC-1167 clone at an address derived from this factory,
/// the implementation and the first passkey.
///
/// Threat model: the factory holds no state and no privileges. The salt is the first passkey, and
/// the clone is created and initialised with that passkey in one call, so nobody can create an
/// account at a resident's address with another key, or leave one uninitialised for someone else
/// to take. ERC-7562: no storage access, so bundlers accept it unstaked.
contract CityAccountFactory is ICityAccountFactory {
    address private immutable _implementation;
    address private immutable _verifier;
    /// @dev EXTCODEHASH of a clone of the implementation (ERC-1167 runtime code).
    bytes32 private immutable _cloneCodeHash;

    /// @param entryPoint_ The EntryPoint the accounts trust (v0.8 at its canonical address).
    /// @param recovery The account recovery contract the accounts let add a recovered passkey.
    constructor(IEntryPoint entryPoint_, address recovery) {
        _verifier = address(new ERC7913WebAuthnVerifier());
        _implementation = address(new CityAccount(entryPoint_, _verifier, recovery));
        _cloneCodeHash = keccak256(
            abi.encodePacked(hex"363d3d373d3d3d363d73", _implementation, hex"5af43d82803e903d91602b57fd5bf3")
        );
    }

    /// @inheritdoc ICityAccountFactory
    function createAccount(bytes32 qx, bytes32 qy) external returns (address account) {
        bytes32 salt = _salt(qx, qy);
        account = Clones.predictDeterministicAddress(_implementation, salt);
        if (account.code.length > 0) return account;
        Clones.cloneDeterministic(_implementation, salt);
        CityAccount(payable(account)).initialize(qx, qy);
        emit CityAccountCreated(account, qx, qy);
    }

    /// @inheritdoc ICityAccountFactory
    function accountAddress(bytes32 qx, bytes32 qy) external view returns (address) {
        return Clones.predictDeterministicAddress(_implementation, _salt(qx, qy));
    }

    /// @inheritdoc ICityAccountFactory
    function isCityAccount(address account) external view returns (bool) {
        return account.codehash == _cloneCodeHash;
    }

    /// @inheritdoc ICityAccountFactory
    function accountCodeHash() external view returns (bytes32) {
        return _cloneCodeHash;
    }

    /// @inheritdoc ICityAccountFactory
    function accountImplementation() external view returns (address) {
        return _implementation;
    }

    /// @inheritdoc ICityAccountFactory
    function webAuthnVerifier() external view returns (address) {
        return _verifier;
    }

    function _salt(bytes32 qx, bytes32 qy) private pure returns (bytes32) {
        return keccak256(abi.encode(qx, qy));
    }
}
