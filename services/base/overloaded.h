// Overloaded{lambdas...}: one callable with every lambda's operator(), for std::visit over
// a variant (a command, an event) with one lambda per alternative.
#pragma once

namespace picket {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace picket
