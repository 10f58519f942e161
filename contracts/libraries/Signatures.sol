// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title Signatures by a known key, as the escrows check them
/// @notice One way to check that a claim link's key or the city service's ticket key signed a digest.
library Signatures {
    /// @notice Whether `signature` is `signer`'s ECDSA signature of `digest`.
    /// @dev A malformed signature is `false`, never a revert. No signature recovers to the zero
    /// address, so a zero `signer` (no key set) accepts nothing.
    /// @param digest The EIP-712 digest that was signed.
    /// @param signature The 65-byte (or 64-byte compact) signature.
    /// @param signer The key that must have signed.
    function isBy(bytes32 digest, bytes calldata signature, address signer) internal pure returns (bool) {
        (address recovered, ECDSA.RecoverError error_, ) = ECDSA.tryRecoverCalldata(digest, signature);
        return error_ == ECDSA.RecoverError.NoError && recovered == signer;
    }
}
