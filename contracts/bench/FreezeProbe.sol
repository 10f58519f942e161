// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityYuan} from "../interfaces/ICityYuan.sol";

/// @title Measures what an escrow's freeze check costs (benchmark only, never deployed)
/// @notice `npm run bench -- vouchers-gas` reads these with `eth_call`.
contract FreezeProbe {
    /// @notice Gas of `token.isFrozen(account)` when neither the token nor the account's word was
    /// touched before in the transaction: a voucher or red-packet claim.
    function coldCheck(ICityYuan token, address account) external view returns (uint256 gasUsed) {
        uint256 before = gasleft();
        token.isFrozen(account);
        gasUsed = before - gasleft();
    }

    /// @notice Gas of `token.isFrozen(account)` once both are warm: what the check adds to a
    /// redemption, which reads the token and the resident's word afterwards anyway (the cold
    /// access moves to the check and the later reads become warm).
    function warmCheck(ICityYuan token, address account) external view returns (uint256 gasUsed) {
        token.isFrozen(account);
        uint256 before = gasleft();
        token.isFrozen(account);
        gasUsed = before - gasleft();
    }
}
