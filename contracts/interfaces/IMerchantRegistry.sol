// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The city's register of merchants
/// @notice Maps a merchant's receiving address to a display name and a category. The dApp labels
/// payments with it and categorises history; the voucher escrow checks eligibility against it.
interface IMerchantRegistry {
    /// @notice What kind of shop a merchant is. Append only: never reorder (vouchers store these).
    enum Category {
        Dining,
        Grocery,
        Transport,
        Medical,
        Education,
        Retail,
        Services,
        Other
    }

    /// @notice A merchant as the registry knows it.
    struct Merchant {
        string name;
        Category category;
        bool active;
        uint64 registeredAt;
    }

    /// @notice Thrown when registering an address that is already registered.
    /// @param merchant The merchant's address.
    error MerchantRegistryAlreadyRegistered(address merchant);
    /// @notice Thrown when updating or deactivating an address that was never registered.
    /// @param merchant The address that was never registered.
    error MerchantRegistryNotRegistered(address merchant);
    /// @notice Thrown when a display name is empty or longer than the limit (in bytes).
    /// @param length The name's length, in bytes.
    /// @param maxLength The longest name allowed, in bytes.
    error MerchantRegistryInvalidName(uint256 length, uint256 maxLength);
    /// @notice Thrown when the merchant address is zero.
    error MerchantRegistryZeroAddress();
    /// @notice Thrown when activating an active merchant or deactivating an inactive one.
    /// @param merchant The merchant's address.
    /// @param active Its state, which the call would not change.
    error MerchantRegistryActiveUnchanged(address merchant, bool active);

    /// @notice Emitted when `merchant` is registered.
    /// @param merchant The merchant's address.
    /// @param registrar Who registered it.
    /// @param name The display name.
    /// @param category The merchant's category.
    event MerchantRegistered(address indexed merchant, address indexed registrar, string name, Category category);
    /// @notice Emitted when `merchant`'s name or category changes.
    /// @param merchant The merchant's address.
    /// @param registrar Who changed it.
    /// @param name The new display name.
    /// @param category The new category.
    event MerchantUpdated(address indexed merchant, address indexed registrar, string name, Category category);
    /// @notice Emitted when `merchant` is deactivated (can no longer take voucher payments).
    /// @param merchant The merchant's address.
    /// @param registrar Who deactivated it.
    event MerchantDeactivated(address indexed merchant, address indexed registrar);
    /// @notice Emitted when `merchant` is activated again.
    /// @param merchant The merchant's address.
    /// @param registrar Who activated it.
    event MerchantReactivated(address indexed merchant, address indexed registrar);

    /// @notice Registers `merchant` with a display name and category. Registrar role only.
    function register(address merchant, string calldata name, Category category) external;

    /// @notice Changes the name and category of a registered merchant. Registrar role only.
    function update(address merchant, string calldata name, Category category) external;

    /// @notice Deactivates a merchant. Registrar role only.
    function deactivate(address merchant) external;

    /// @notice Reactivates a deactivated merchant. Registrar role only.
    function reactivate(address merchant) external;

    /// @notice The full record of `merchant` (name empty and registeredAt zero when unknown).
    function merchantOf(address merchant) external view returns (Merchant memory);

    /// @notice Cheap eligibility read for other contracts: the category and whether the merchant
    /// is registered and active (one storage slot).
    function categoryOf(address merchant) external view returns (Category category, bool active);

    /// @notice Number of merchants ever registered.
    function merchantCount() external view returns (uint256);

    /// @notice The `index`-th registered merchant address (for listing without logs).
    function merchantAt(uint256 index) external view returns (address);
}
