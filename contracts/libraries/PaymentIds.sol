// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The id of a payment, shared by CityYuan's `pay` and the escrows' receipts
/// @notice A payment id is `keccak256(abi.encode(payer, payee, orderRef))`: a receipt from an
/// escrow (a voucher redemption) and a plain `pay` for the same order carry the same id, so a
/// merchant refunds either with CityYuan's `refund(payer, orderRef, amount)`.
library PaymentIds {
    /// @notice The id of the payment(s) from `payer` to `payee` for order `orderRef`.
    /// @param payer Who paid.
    /// @param payee Who was paid.
    /// @param orderRef The merchant's 32-byte order reference.
    function compute(address payer, address payee, bytes32 orderRef) internal pure returns (bytes32) {
        return keccak256(abi.encode(payer, payee, orderRef));
    }
}
