<?php

namespace App\Http\Controllers;

use App\Models\Photo;
use Illuminate\Http\Request;

class PhotoController extends Controller
{
    public function index()
    {
        return Photo::all();
    }

    public function store(Request $request)
    {
        return Photo::create($request->all());
    }

    public function show(Photo $photo)
    {
        return $photo;
    }

    public function update(Request $request, Photo $photo)
    {
        $photo->update($request->all());
        return $photo;
    }

    public function destroy(Photo $photo)
    {
        $photo->delete();
        return response()->noContent();
    }
}
