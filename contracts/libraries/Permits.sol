// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";

/// @title ERC-2612 permits as the escrows use them
/// @notice One way to take a resident's permit in the same transaction that spends it.
library Permits {
    /// @notice Uses `owner`'s ERC-2612 permit giving the calling contract exactly `value`.
    /// @dev A permit is public once in the mempool: if someone submitted it first, the allowance is
    /// already there and we go on; otherwise the token's own error (expired, wrong signer) is what
    /// the caller sees.
    /// @param token The token the permit is for.
    /// @param owner Who signed the permit.
    /// @param value The allowance the permit gives the calling contract.
    /// @param deadline The permit's deadline.
    /// @param v The signature's recovery byte.
    /// @param r The signature's r.
    /// @param s The signature's s.
    function use(
        IERC20Permit token,
        address owner,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) internal {
        try token.permit(owner, address(this), value, deadline, v, r, s) {} catch (bytes memory reason) {
            if (IERC20(address(token)).allowance(owner, address(this)) < value) LowLevelCall.bubbleRevert(reason);
        }
    }
}
