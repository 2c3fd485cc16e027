<?php

namespace App\Http\Controllers;

use App\Models\User;
use Illuminate\Http\Request;

class UserController extends Controller
{
    public function show(string $id)
    {
        return view('user.profile', ['user' => User::findOrFail($id)]);
    }

    public function store(Request $request)
    {
        return User::create($request->validated());
    }

    public function search(Request $request)
    {
        return User::where('name', 'like', $request->query('q'))->get();
    }

    public function edit(User $user)
    {
        return view('user.edit', compact('user'));
    }

    public function update(Request $request, User $user)
    {
        $user->update($request->validated());
        return redirect()->route('user.show', $user);
    }
}
