// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan invariants under random sequences of issue / redeem / transfer / approve /
// transferFrom / pay / refund / freeze / unfreeze / pause / unpause / attest / time passing: money
// is never created or lost, the supply never passes the reserves it was issued against, frozen
// flags never corrupt balances, and every call did what the model predicted.

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CityYuan} from "../../contracts/CityYuan.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {TestBase} from "./utils/Vm.sol";

/// @notice Drives CityYuan through issue / redeem / transfer / approve / transferFrom / pay /
/// refund / freeze / unfreeze / pause / unpause / attest / warp across a few residents, keeping a ghost model of
/// what the ledger must hold. Every call's outcome is predicted from the model first (success, or
/// the exact revert data in the order the contract checks); a call that does otherwise is counted
/// in `unexpected`, which the invariant test requires to stay 0. Reverts are part of the model, so
/// the campaign runs with failOnRevert = false and still misses nothing.
/// @dev Declared here rather than in its own file: the runner only knows the artifacts of
/// contracts declared in `.t.sol` files, and must know the handler's to call it.
contract CityYuanHandler is TestBase {
    bytes32 internal constant BANK_REF = keccak256("BANK-DEPOSIT");
    uint256 internal constant ORDERS = 3;

    CityYuan internal immutable _token;
    address internal immutable _issuer;
    address internal immutable _compliance;
    address internal immutable _pauser;
    address internal immutable _attester;
    uint256 internal immutable _maxReportAge;
    address[] internal _actors;

    // ───────────────────────────── ghost model ─────────────────────────────

    mapping(address account => uint256) public ghostBalance;
    mapping(address account => bool) public ghostFrozen;
    mapping(address owner => mapping(address spender => uint256)) public ghostAllowance;
    mapping(bytes32 paymentId => uint256) public ghostRefundable;
    /// @dev A payment made so far: refunds mostly pick one of these.
    struct Payment {
        address payer;
        address payee;
        bytes32 orderRef;
    }

    Payment[] internal _payments;
    bytes32[] internal _paymentIds;
    mapping(bytes32 paymentId => bool) internal _known;
    uint256 public ghostIssued;
    uint256 public ghostRedeemed;
    bool public ghostPaused;
    /// @dev The reserves as the model keeps them: the latest attested figure, lowered by every
    /// redemption since (paid out of the reserve), never below 0.
    uint256 public ghostReserves;
    uint256 public ghostAttestedAt;
    /// @dev Issued since the latest attestation: if anything was, the supply must be covered.
    uint256 public ghostIssuedSinceReport;
    /// @dev Bank references issued against so far (the model refuses a second issue under one).
    bytes32[] internal _usedBankRefs;
    uint256 public refusedSecondIssues;
    uint256 public refusedStaleIssues;

    /// @notice Calls whose outcome differed from the model's prediction.
    uint256 public unexpected;
    /// @notice What the last unexpected call was, for debugging a failed campaign.
    bytes public lastUnexpectedCall;
    /// @notice Calls that succeeded and that reverted as predicted: shows the campaign went deep.
    uint256 public succeeded;
    uint256 public revertedAsPredicted;

    constructor(
        CityYuan token_,
        address issuer_,
        address compliance_,
        address pauser_,
        address attester_,
        address[] memory actors_
    ) {
        _token = token_;
        _issuer = issuer_;
        _compliance = compliance_;
        _pauser = pauser_;
        _attester = attester_;
        _maxReportAge = token_.maxReportAge();
        _actors = actors_;
        ghostReserves = token_.latestReserves();
        ghostAttestedAt = token_.latestAttestationTime();
        // The actors may start with money issued before the campaign.
        for (uint256 i = 0; i < actors_.length; i++) {
            ghostBalance[actors_[i]] = token_.balanceOf(actors_[i]);
        }
        ghostIssued = token_.totalIssued();
    }

    // ───────────────────────────── actions ─────────────────────────────

    /// @dev One time in eight under a bank reference already issued against (two clerks at once).
    function issue(uint256 toSeed, uint256 amount, uint256 refSeed) external {
        address to = _actor(toSeed);
        // Mostly everyday amounts; one in eight up to 2**126, so some runs reach the uint128 supply
        // cap and put balances near the frozen bit.
        amount = amount % 8 == 0 ? bound(amount, 1, 2 ** 126) : bound(amount, 1, 1e12);
        bool reuse = _usedBankRefs.length > 0 && refSeed % 8 == 0;
        bytes32 bankRef =
            reuse
                ? _usedBankRefs[refSeed % _usedBankRefs.length]
                : keccak256(abi.encode(BANK_REF, _usedBankRefs.length));
        uint256 supplyAfter = ghostIssued - ghostRedeemed + amount;
        bytes memory expected;
        if (reuse) {
            expected = abi.encodeWithSelector(ICityYuan.CityYuanBankReferenceUsed.selector, bankRef);
        } else if (block.timestamp > ghostAttestedAt + _maxReportAge) {
            expected = abi.encodeWithSelector(
                ICityYuan.CityYuanReserveReportTooOld.selector,
                ghostAttestedAt,
                _maxReportAge
            );
        } else if (supplyAfter > ghostReserves) {
            expected = abi.encodeWithSelector(ICityYuan.CityYuanReservesExceeded.selector, ghostReserves, supplyAfter);
        } else {
            expected = _movementError(address(0), to, amount);
        }
        if (_call(_issuer, abi.encodeCall(ICityYuan.issue, (to, amount, bankRef)), expected)) {
            ghostIssued += amount;
            ghostIssuedSinceReport += amount;
            ghostBalance[to] += amount;
            _usedBankRefs.push(bankRef);
        } else if (reuse) {
            ++refusedSecondIssues;
        } else if (block.timestamp > ghostAttestedAt + _maxReportAge) {
            ++refusedStaleIssues;
        }
    }

    /// @dev The attester publishes a report: one time in four below the supply (an honest auditor
    /// saying reserves fell short), otherwise anywhere from the supply up to the supply's cap.
    function attest(uint256 reserves) external {
        uint256 supply = ghostIssued - ghostRedeemed;
        reserves = reserves % 4 == 0 ? bound(reserves, 0, supply) : bound(reserves, supply, type(uint128).max);
        bytes memory call = abi.encodeCall(ICityYuan.attestReserves, (reserves, keccak256("report"), "ipfs://r"));
        if (_call(_attester, call, "")) {
            ghostReserves = reserves;
            ghostAttestedAt = block.timestamp;
            ghostIssuedSinceReport = 0;
        }
    }

    /// @dev Time passes: up to 20 days, so some runs let the report go stale.
    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1 hours, 20 days));
    }

    function redeem(uint256 fromSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 1, ghostBalance[from] + 1);
        if (
            _call(from, abi.encodeCall(ICityYuan.redeem, (amount, BANK_REF)), _movementError(from, address(0), amount))
        ) {
            ghostRedeemed += amount;
            ghostBalance[from] -= amount;
            ghostReserves = ghostReserves > amount ? ghostReserves - amount : 0;
        }
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        (address from, address to) = (_actor(fromSeed), _actor(toSeed));
        amount = bound(amount, 0, ghostBalance[from] + 1);
        if (_call(from, abi.encodeCall(_token.transfer, (to, amount)), _movementError(from, to, amount))) {
            _move(from, to, amount);
        }
    }

    function approve(uint256 ownerSeed, uint256 spenderSeed, uint256 amount) external {
        (address owner, address spender) = (_actor(ownerSeed), _actor(spenderSeed));
        amount = amount % 4 == 0 ? type(uint256).max : bound(amount, 0, ghostBalance[owner] + 1);
        if (_call(owner, abi.encodeCall(_token.approve, (spender, amount)), "")) {
            ghostAllowance[owner][spender] = amount;
        }
    }

    function transferFrom(uint256 spenderSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        (address spender, address from, address to) = (_actor(spenderSeed), _actor(fromSeed), _actor(toSeed));
        uint256 allowance = ghostAllowance[from][spender];
        amount = bound(amount, 0, (allowance < ghostBalance[from] ? allowance : ghostBalance[from]) + 1);
        bytes memory expected;
        if (amount == 0 && spender != from) {
            expected = abi.encodeWithSelector(ICityYuan.CityYuanZeroValueTransferFrom.selector, spender, from);
        } else if (ghostFrozen[spender]) {
            expected = abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, spender);
        } else if (allowance < amount) {
            expected = abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                spender,
                allowance,
                amount
            );
        } else {
            expected = _movementError(from, to, amount);
        }
        if (_call(spender, abi.encodeCall(_token.transferFrom, (from, to, amount)), expected)) {
            if (allowance != type(uint256).max) ghostAllowance[from][spender] = allowance - amount;
            _move(from, to, amount);
        }
    }

    function pay(uint256 payerSeed, uint256 payeeSeed, uint256 orderSeed, uint256 amount) external {
        (address payer, address payee) = (_actor(payerSeed), _actor(payeeSeed));
        bytes32 orderRef = _orderRef(orderSeed);
        amount = bound(amount, 1, ghostBalance[payer] + 1);
        if (
            _call(payer, abi.encodeCall(ICityYuan.pay, (payee, amount, orderRef)), _movementError(payer, payee, amount))
        ) {
            bytes32 paymentId = keccak256(abi.encode(payer, payee, orderRef));
            if (!_known[paymentId]) {
                _known[paymentId] = true;
                _payments.push(Payment(payer, payee, orderRef));
                _paymentIds.push(paymentId);
            }
            ghostRefundable[paymentId] += amount;
            _move(payer, payee, amount);
        }
    }

    /// @dev Three times in four a payment made earlier; otherwise any payer, payee and order, which
    /// is mostly a refund by someone who is not the payee (nothing refundable).
    function refund(uint256 payeeSeed, uint256 payerSeed, uint256 orderSeed, uint256 amount) external {
        (address payee, address payer) = (_actor(payeeSeed), _actor(payerSeed));
        bytes32 orderRef = _orderRef(orderSeed);
        if (_payments.length > 0 && orderSeed % 4 != 0) {
            Payment memory payment = _payments[payerSeed % _payments.length];
            (payee, payer, orderRef) = (payment.payee, payment.payer, payment.orderRef);
        }
        bytes32 paymentId = keccak256(abi.encode(payer, payee, orderRef));
        uint256 left = ghostRefundable[paymentId];
        amount = bound(amount, 1, left + 1);
        bytes memory expected =
            amount > left
                ? abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, paymentId, left, amount)
                : _movementError(payee, payer, amount);
        if (_call(payee, abi.encodeCall(ICityYuan.refund, (payer, orderRef, amount)), expected)) {
            ghostRefundable[paymentId] = left - amount;
            _move(payee, payer, amount);
        }
    }

    /// @dev Goes ahead one time in three, so most calls run between unfrozen residents.
    function freeze(uint256 accountSeed, uint256 gate) external {
        if (gate % 3 != 0) return;
        address account = _actor(accountSeed);
        bytes memory expected =
            ghostFrozen[account]
                ? abi.encodeWithSelector(ICityYuan.CityYuanFreezeUnchanged.selector, account, true)
                : bytes("");
        if (_call(_compliance, abi.encodeCall(ICityYuan.freeze, (account, "court order")), expected)) {
            ghostFrozen[account] = true;
        }
    }

    function unfreeze(uint256 accountSeed) external {
        address account = _actor(accountSeed);
        bytes memory expected =
            ghostFrozen[account]
                ? bytes("")
                : abi.encodeWithSelector(ICityYuan.CityYuanFreezeUnchanged.selector, account, false);
        if (_call(_compliance, abi.encodeCall(ICityYuan.unfreeze, (account, "order lifted")), expected)) {
            ghostFrozen[account] = false;
        }
    }

    /// @dev Goes ahead one time in three, so runs spend most of their calls unpaused.
    function pause(uint256 seed) external {
        if (seed % 3 != 0) return;
        bytes memory expected = ghostPaused ? abi.encodeWithSelector(Pausable.EnforcedPause.selector) : bytes("");
        if (_call(_pauser, abi.encodeCall(ICityYuan.pause, ()), expected)) ghostPaused = true;
    }

    function unpause() external {
        bytes memory expected = ghostPaused ? bytes("") : abi.encodeWithSelector(Pausable.ExpectedPause.selector);
        if (_call(_pauser, abi.encodeCall(ICityYuan.unpause, ()), expected)) ghostPaused = false;
    }

    // ───────────────────────────── reads for the invariants ─────────────────────────────

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function paymentIds() external view returns (bytes32[] memory) {
        return _paymentIds;
    }

    function usedBankRefs() external view returns (bytes32[] memory) {
        return _usedBankRefs;
    }

    // ───────────────────────────── model ─────────────────────────────

    /// @dev The revert CityYuan's `_update` must raise for this movement, in its order of checks
    /// (pause, sender frozen, sender balance, recipient frozen), or empty when it must succeed.
    function _movementError(address from, address to, uint256 amount) internal view returns (bytes memory) {
        if (ghostPaused) return abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        if (from != address(0)) {
            if (ghostFrozen[from]) return abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, from);
            if (ghostBalance[from] < amount) {
                return _insufficientBalance(from, ghostBalance[from], amount);
            }
        }
        if (to != address(0) && ghostFrozen[to]) {
            return abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, to);
        }
        return "";
    }

    function _move(address from, address to, uint256 amount) internal {
        ghostBalance[from] -= amount;
        ghostBalance[to] += amount;
    }

    /// @dev Calls the token as `caller`; returns whether it succeeded, and counts it as unexpected
    /// unless it did exactly what `expectedRevert` says (empty: succeed).
    function _call(address caller, bytes memory data, bytes memory expectedRevert) internal returns (bool ok) {
        vm.prank(caller);
        bytes memory result;
        (ok, result) = address(_token).call(data);
        bool asPredicted = expectedRevert.length == 0 ? ok : !ok && keccak256(result) == keccak256(expectedRevert);
        if (!asPredicted) {
            ++unexpected;
            lastUnexpectedCall = data;
        } else if (ok) {
            ++succeeded;
        } else {
            ++revertedAsPredicted;
        }
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    function _orderRef(uint256 seed) internal pure returns (bytes32) {
        return bytes32((seed % ORDERS) + 1);
    }
}

contract CityYuanInvariantTest is TestBase {
    /// @dev forge-std's StdInvariant shape, which the runner reads.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    CityYuan internal token;
    CityYuanHandler internal handler;

    function setUp() public {
        address issuer = address(0x1551);
        address compliance = address(0xC0C0);
        address pauser = address(0xBA05E);
        address attester = address(0xA77E57);
        address[] memory actors = new address[](4);
        actors[0] = address(0xA11CE);
        actors[1] = address(0xB0B);
        actors[2] = address(0xCA201);
        actors[3] = address(0x3E2C4A27); // a merchant

        token = new CityYuan(address(this), 1 days, attester, attester, 35 days);
        token.grantRole(token.ISSUER_ROLE(), issuer);
        token.grantRole(token.COMPLIANCE_ROLE(), compliance);
        token.grantRole(token.PAUSER_ROLE(), pauser);
        token.increaseIssuerAllowance(issuer, type(uint256).max);
        vm.prank(attester);
        token.attestReserves(type(uint128).max, keccak256("reserve report"), "ipfs://report");
        // Everyone starts with 10,000.00 yuan, so the first calls already move money.
        vm.startPrank(issuer);
        for (uint256 i = 0; i < actors.length; i++) {
            token.issue(actors[i], 1_000_000, keccak256(abi.encode("OPENING-BALANCE", i)));
        }
        vm.stopPrank();
        handler = new CityYuanHandler(token, issuer, compliance, pauser, attester, actors);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](13);
        selectors[0] = CityYuanHandler.issue.selector;
        selectors[1] = CityYuanHandler.redeem.selector;
        selectors[2] = CityYuanHandler.transfer.selector;
        selectors[3] = CityYuanHandler.approve.selector;
        selectors[4] = CityYuanHandler.transferFrom.selector;
        selectors[5] = CityYuanHandler.pay.selector;
        selectors[6] = CityYuanHandler.refund.selector;
        selectors[7] = CityYuanHandler.freeze.selector;
        selectors[8] = CityYuanHandler.unfreeze.selector;
        selectors[9] = CityYuanHandler.pause.selector;
        selectors[10] = CityYuanHandler.unpause.selector;
        selectors[11] = CityYuanHandler.attest.selector;
        selectors[12] = CityYuanHandler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// @notice Money is never created or lost: supply == issued − redeemed == the sum of all
    /// balances, and issued / redeemed are what the issuer and residents actually did.
    function invariant_SupplyEqualsIssuedMinusRedeemedEqualsSumOfBalances() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i = 0; i < actors.length; i++) {
            sum += token.balanceOf(actors[i]);
        }
        assertEq(token.totalSupply(), token.totalIssued() - token.totalRedeemed(), "supply == issued - redeemed");
        assertEq(token.totalSupply(), sum, "supply == sum of balances");
        assertEq(token.totalIssued(), handler.ghostIssued(), "issued == ghost");
        assertEq(token.totalRedeemed(), handler.ghostRedeemed(), "redeemed == ghost");
    }

    /// @notice The frozen flag shares the balance word: freezing and unfreezing never change a
    /// balance, and every balance and flag is exactly what the model says.
    function invariant_FrozenFlagsNeverCorruptBalances() public view {
        address[] memory actors = handler.actors();
        for (uint256 i = 0; i < actors.length; i++) {
            assertEq(token.balanceOf(actors[i]), handler.ghostBalance(actors[i]), "balance == ghost");
            assertTrue(token.isFrozen(actors[i]) == handler.ghostFrozen(actors[i]), "frozen flag == ghost");
            assertLe(token.balanceOf(actors[i]), type(uint128).max, "balance below the frozen bit");
        }
        assertTrue(token.paused() == handler.ghostPaused(), "paused == ghost");
    }

    /// @notice Every call succeeded or reverted exactly as specified, and refunds never exceed
    /// what is still refundable on each payment.
    function invariant_EveryCallBehavedAsSpecified() public view {
        assertEq(handler.unexpected(), 0, "calls that did not do what the model predicted");
        bytes32[] memory paymentIds = handler.paymentIds();
        for (uint256 i = 0; i < paymentIds.length; i++) {
            assertEq(token.refundable(paymentIds[i]), handler.ghostRefundable(paymentIds[i]), "refundable == ghost");
        }
    }

    /// @notice Reserves headroom is never negative: once anything has been issued against the
    /// latest report, the supply stays within the reserves now (redemptions lower both alike), and
    /// the reserves are the attested figure minus what was redeemed since, as the model keeps them.
    function invariant_ReservesHeadroomNeverNegative() public view {
        uint256 supply = token.totalSupply();
        uint256 reserves = token.latestReserves();
        assertEq(reserves, handler.ghostReserves(), "reserves == attested - redeemed since (ghost)");
        if (handler.ghostIssuedSinceReport() > 0) assertLe(supply, reserves, "issued supply within reserves");
        assertEq(token.reservesHeadroom(), reserves > supply ? reserves - supply : 0, "headroom");
        assertEq(token.latestAttestationTime(), handler.ghostAttestedAt(), "report time == ghost");
    }

    /// @notice One issue per bank reference: every reference issued against is recorded as used
    /// (a second issue under any of them is refused, which `unexpected == 0` checks call by call),
    /// and the next fresh reference is still free.
    function invariant_EachBankReferenceIssuedOnce() public view {
        bytes32[] memory refs = handler.usedBankRefs();
        for (uint256 i = 0; i < refs.length; i++) {
            assertTrue(token.isBankReferenceUsed(refs[i]), "used reference recorded");
        }
        assertFalse(
            token.isBankReferenceUsed(keccak256(abi.encode(keccak256("BANK-DEPOSIT"), refs.length))),
            "next one free"
        );
    }
}
