// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @notice The cheatcodes our Solidity tests use (forge-std is not installable here, see
/// ../shared/TOOLCHAIN.md). Hardhat's EDR serves them at the usual cheatcode address.
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function prevrandao(bytes32 newPrevrandao) external;
    function setBlockhash(uint256 blockNumber, bytes32 blockHash) external;
    function chainId(uint256 newChainId) external;
    function deal(address account, uint256 newBalance) external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function assume(bool condition) external pure;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;
    function expectEmit() external;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory);
    function label(address account, string calldata newLabel) external;
    function store(address target, bytes32 slot, bytes32 value) external;
    function load(address target, bytes32 slot) external view returns (bytes32);
    function etch(address target, bytes calldata newRuntimeBytecode) external;
    function snapshotState() external returns (uint256 snapshotId);
    function revertToState(uint256 snapshotId) external returns (bool success);
}

/// @notice Base for our tests: the cheatcode handle, bounded fuzz inputs and assertions that
/// revert with a readable message (forge-std's are not available).
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error AssertionFailed(string message, uint256 left, uint256 right);
    error AssertionFailedAddress(string message, address left, address right);
    error AssertionFailedBool(string message);

    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        return min + (x % size);
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert AssertionFailed(message, left, right);
    }

    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) revert AssertionFailedAddress(message, left, right);
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) revert AssertionFailed(message, uint256(left), uint256(right));
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert AssertionFailedBool(message);
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) revert AssertionFailedBool(message);
    }

    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) revert AssertionFailed(message, left, right);
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) revert AssertionFailed(message, left, right);
    }

    /// @dev The next call is made as `caller` and must revert with exactly `reason` (the call's
    /// arguments must make no call of their own: they would take the prank).
    function _expectRevertAs(address caller, bytes memory reason) internal {
        vm.expectRevert(reason);
        vm.prank(caller);
    }

    /// @dev As above, for an error without arguments, given by its selector.
    function _expectRevertAs(address caller, bytes4 reason) internal {
        vm.expectRevert(reason);
        vm.prank(caller);
    }

    /// @dev The next call is made as `caller`, who lacks `role`, and must revert with exactly
    /// OpenZeppelin's `AccessControlUnauthorizedAccount(caller, role)`.
    function _expectMissingRoleAs(address caller, bytes32 role) internal {
        _expectRevertAs(caller, _missingRole(caller, role));
    }

    /// @dev OpenZeppelin's error for `account` calling a function that needs `role`.
    function _missingRole(address account, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role);
    }

    /// @dev OpenZeppelin's ERC-20 error for `account` moving `needed` while holding `balance`.
    function _insufficientBalance(
        address account,
        uint256 balance,
        uint256 needed
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, account, balance, needed);
    }

    /// @dev The next call, `caller` accepting the default admin role, must revert because the
    /// transfer's delay runs until `schedule`.
    function _expectAdminDelayAs(address caller, uint48 schedule) internal {
        bytes4 selector = IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector;
        _expectRevertAs(caller, abi.encodeWithSelector(selector, schedule));
    }

    /// @dev A deterministic address with a known private key, for signing in tests.
    function makeAccount(string memory name) internal returns (address account, uint256 privateKey) {
        privateKey = uint256(keccak256(abi.encodePacked(name)));
        account = vm.addr(privateKey);
        vm.label(account, name);
    }
}
