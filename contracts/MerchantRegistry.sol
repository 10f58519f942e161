// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The city's register of merchants: display name and category per receiving address. The dApp
// labels payments and categorises history with it; the voucher escrow checks eligibility at
// checkout through `categoryOf`, which is why the category lives in its own one-slot record.

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";

/// @title The city's register of merchants
/// @notice See {IMerchantRegistry}.
contract MerchantRegistry is IMerchantRegistry, AccessControlDefaultAdminRules {
    /// @notice Registers, updates, deactivates and reactivates merchants.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @notice Longest display name, in bytes of UTF-8 (21 Chinese characters, 64 ASCII ones).
    uint256 public constant MAX_NAME_LENGTH = 64;

    /// @dev What `categoryOf` reads: 1 + 1 + 8 bytes, one storage slot, kept apart from the name
    /// so a checkout pays one cold SLOAD. `registeredAt == 0` means never registered (a block
    /// timestamp is never 0 once a chain is running).
    struct Record {
        Category category;
        bool active;
        uint64 registeredAt;
    }

    mapping(address merchant => Record) private _records;
    mapping(address merchant => string) private _names;
    address[] private _merchants;

    /// @param admin Holds DEFAULT_ADMIN_ROLE: grants REGISTRAR_ROLE.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    constructor(address admin, uint48 adminTransferDelay) AccessControlDefaultAdminRules(adminTransferDelay, admin) {}

    // ───────────────────────────── registrar ─────────────────────────────

    /// @inheritdoc IMerchantRegistry
    function register(address merchant, string calldata name, Category category) external onlyRole(REGISTRAR_ROLE) {
        if (merchant == address(0)) revert MerchantRegistryZeroAddress();
        if (_records[merchant].registeredAt != 0) revert MerchantRegistryAlreadyRegistered(merchant);
        _checkName(name);
        _records[merchant] = Record({category: category, active: true, registeredAt: uint64(block.timestamp)});
        _names[merchant] = name;
        _merchants.push(merchant);
        emit MerchantRegistered(merchant, _msgSender(), name, category);
    }

    /// @inheritdoc IMerchantRegistry
    function update(address merchant, string calldata name, Category category) external onlyRole(REGISTRAR_ROLE) {
        Record storage record = _registered(merchant);
        _checkName(name);
        record.category = category;
        _names[merchant] = name;
        emit MerchantUpdated(merchant, _msgSender(), name, category);
    }

    /// @inheritdoc IMerchantRegistry
    function deactivate(address merchant) external onlyRole(REGISTRAR_ROLE) {
        Record storage record = _registered(merchant);
        if (!record.active) revert MerchantRegistryActiveUnchanged(merchant, false);
        record.active = false;
        emit MerchantDeactivated(merchant, _msgSender());
    }

    /// @inheritdoc IMerchantRegistry
    function reactivate(address merchant) external onlyRole(REGISTRAR_ROLE) {
        Record storage record = _registered(merchant);
        if (record.active) revert MerchantRegistryActiveUnchanged(merchant, true);
        record.active = true;
        emit MerchantReactivated(merchant, _msgSender());
    }

    // ───────────────────────────── reads ─────────────────────────────

    /// @inheritdoc IMerchantRegistry
    function merchantOf(address merchant) external view returns (Merchant memory) {
        Record memory record = _records[merchant];
        return
            Merchant({
                name: _names[merchant],
                category: record.category,
                active: record.active,
                registeredAt: record.registeredAt
            });
    }

    /// @inheritdoc IMerchantRegistry
    /// @dev An unknown merchant reads as (Dining, false): check `active`, not the category.
    function categoryOf(address merchant) external view returns (Category category, bool active) {
        Record memory record = _records[merchant];
        return (record.category, record.active);
    }

    /// @inheritdoc IMerchantRegistry
    function merchantCount() external view returns (uint256) {
        return _merchants.length;
    }

    /// @inheritdoc IMerchantRegistry
    /// @dev Reverts with a Panic (array out of bounds) when `index >= merchantCount()`.
    function merchantAt(uint256 index) external view returns (address) {
        return _merchants[index];
    }

    // ───────────────────────────── internal ─────────────────────────────

    function _registered(address merchant) private view returns (Record storage record) {
        record = _records[merchant];
        if (record.registeredAt == 0) revert MerchantRegistryNotRegistered(merchant);
    }

    /// @dev 1..64 bytes. UTF-8 validity is the client's job: a malformed name only displays badly.
    function _checkName(string calldata name) private pure {
        uint256 length = bytes(name).length;
        if (length == 0 || length > MAX_NAME_LENGTH) revert MerchantRegistryInvalidName(length, MAX_NAME_LENGTH);
    }
}
